using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A tiny site on 127.0.0.1 and a free port, serving the pages the browser tests visit and counting what the browser fetched.</summary>
public sealed class TestSite : IAsyncDisposable
{
    public const string PageTitle = "Automation test page";
    public const int BoxWidth = 200;
    public const int BoxHeight = 100;
    public const int TallHeight = 3000;
    public const string BasicUser = "alice";
    public const string BasicPassword = "s3cret";

    private static readonly string Page = $$"""
        <!doctype html>
        <html><head><title>{{PageTitle}}</title>
        <style>html, body { margin: 0; padding: 0; } h1 { margin: 0; font-size: 20px; line-height: 40px; } #box { width: {{BoxWidth}}px; height: {{BoxHeight}}px; background: #3366cc; }</style>
        </head><body><h1>Hello</h1><div id="box"></div></body></html>
        """;

    private static readonly string Tall = $$"""
        <!doctype html>
        <html><head><title>Tall</title><style>html, body { margin: 0; padding: 0; }</style></head>
        <body><div style="height: {{TallHeight}}px; background: linear-gradient(#ffffff, #000000);"></div></body></html>
        """;

    // Deterministic noise: detail that JPEG quality visibly trades against size.
    private const string Noise = """
        <!doctype html>
        <html><head><title>Noise</title><style>html, body { margin: 0; }</style></head>
        <body><canvas id="c" width="800" height="600"></canvas>
        <script>
          const ctx = document.getElementById('c').getContext('2d');
          let state = 42;
          const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
          for (let y = 0; y < 600; y += 4)
            for (let x = 0; x < 800; x += 4) {
              ctx.fillStyle = `rgb(${Math.floor(next() * 256)}, ${Math.floor(next() * 256)}, ${Math.floor(next() * 256)})`;
              ctx.fillRect(x, y, 4, 4);
            }
        </script></body></html>
        """;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _hanging = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);

    private TestSite(WebApplication app)
    {
        _app = app;
        // Every request, counted by path and "run" (each test uses its own run id).
        app.Use(async (http, next) =>
        {
            _requests.AddOrUpdate(Key(http.Request.Path, http.Request.Query["run"]), 1, static (_, n) => n + 1);
            await next(http);
        });

        app.MapGet("/page", () => Html(Page));
        app.MapGet("/tall", () => Html(Tall));
        app.MapGet("/noise", () => Html(Noise));
        app.MapGet("/tiny", () => Html(TestPages.Tiny));
        app.MapGet("/login", () => Html(TestPages.Login));
        app.MapGet("/logo.svg", () => Results.Content(TestPages.Logo, "image/svg+xml"));
        app.MapPost("/welcome", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            return Html(TestPages.Welcome(form["user"].ToString(), form["country"].ToString(), form["remember"] == "yes"));
        });
        app.MapGet("/table", () => Html(TestPages.Table));
        app.MapGet("/inventory", () => Html(InspectionPages.Inventory));
        app.MapGet("/frame", () => Html(TestPages.Frame));
        app.MapGet("/frame-inner", () => Html(TestPages.FrameInner));
        app.MapGet("/shadow", () => Html(TestPages.Shadow));
        app.MapGet("/popup", (string run) => Html(TestPages.PopupOpener(run)));
        app.MapGet("/popup-target", (string run) => Html(TestPages.PopupTarget(run)));
        app.MapGet("/late", (int ms) => Html(TestPages.Late(ms)));
        app.MapGet("/document", () => Html(TestPages.Document));
        app.MapGet("/assets", (string run) => Html(TestPages.Assets(run)));
        app.MapGet("/asset/style.css", (string run) => Results.Content(TestPages.AssetStyle(run), "text/css"));
        app.MapGet("/asset/frame.html", (string run) => Html(TestPages.AssetFrame(run)));
        app.MapGet("/asset/font.woff2", () => Results.Bytes(new byte[64], "font/woff2"));
        app.MapGet("/asset/{name}.png", (string name) => Results.Bytes(TestPages.Png, "image/png"));
        app.MapGet("/device", () => Html(TestPages.Device));
        app.MapGet("/dialogs", () => Html(TestPages.Dialogs));
        app.MapGet("/download", () => Html(TestPages.Download));
        app.MapGet("/download-file", () => Results.File(Encoding.UTF8.GetBytes("file content"), "application/octet-stream", "file.bin"));
        app.MapGet("/scroll", () => Html(TestPages.Scroll));
        // Request facts, rendered by the server: what the browser sent.
        app.MapGet("/echo", (HttpContext http) => Html($$"""
            <!doctype html><html><head><title>Echo</title></head><body>
            <p id="header">{{Encode(http.Request.Headers["X-Test"])}}</p>
            <p id="accept-language">{{Encode(http.Request.Headers.AcceptLanguage)}}</p>
            <p id="cookie">{{Encode(http.Request.Headers.Cookie)}}</p>
            <p id="user-agent">{{Encode(http.Request.Headers.UserAgent)}}</p>
            </body></html>
            """));
        app.MapGet("/auth", (HttpContext http) =>
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BasicUser}:{BasicPassword}"));
            if (http.Request.Headers.Authorization != expected)
            {
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"test\"";
                return Results.Content("<html><head><title>Denied</title></head><body>denied</body></html>", "text/html", statusCode: 401);
            }

            return Html($"<html><head><title>Private</title></head><body><p id=\"who\">Authorized as {BasicUser}</p></body></html>");
        });
        app.MapGet("/status/{code:int}", (int code) => Results.Content($"<html><head><title>Status {code}</title></head><body>{code}</body></html>", "text/html", statusCode: code));
        // Answers after the given delay.
        app.MapGet("/slow", async (int ms, HttpContext http) =>
        {
            await Task.Delay(ms, http.RequestAborted);
            return Html("<html><head><title>Slow</title></head><body><p id=\"slow\">finally</p></body></html>");
        });
        // Never answers: signals that the browser asked, then waits until the browser goes away.
        app.MapGet("/hang", async (string id, HttpContext http) =>
        {
            HangSignal(id).TrySetResult();
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(static _ => { }, TaskScheduler.Default);
            return Results.Empty;
        });
        // Signals that the browser asked, then answers once the test opens the gate.
        app.MapGet("/gate", async (string id, HttpContext http) =>
        {
            HangSignal(id).TrySetResult();
            await Gate(id).Task.WaitAsync(http.RequestAborted);
            return Html(TestPages.Tiny);
        });
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<TestSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var site = new TestSite(builder.Build());
        await site._app.StartAsync();
        var address = site._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        site.BaseAddress = new Uri(address);
        return site;
    }

    public string Url(string pathAndQuery) => new Uri(BaseAddress, pathAndQuery).ToString();

    /// <summary>Completes when the browser has requested /hang?id={id} or /gate?id={id}.</summary>
    public Task WaitForHangRequestAsync(string id) => HangSignal(id).Task;

    /// <summary>Lets /gate?id={id} answer.</summary>
    public void OpenGate(string id) => Gate(id).TrySetResult();

    /// <summary>How often the browser requested the path with ?run={run}.</summary>
    public int Requests(string path, string run) => _requests.GetValueOrDefault(Key(path, run));

    public async ValueTask DisposeAsync()
    {
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IResult Html(string html) => Results.Content(html, "text/html");

    private static string Encode(Microsoft.Extensions.Primitives.StringValues value) => System.Net.WebUtility.HtmlEncode(value.ToString());

    private static string Key(string? path, string? run) => $"{path}?{run}";

    private TaskCompletionSource HangSignal(string id) =>
        _hanging.GetOrAdd(id, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private TaskCompletionSource Gate(string id) =>
        _gates.GetOrAdd(id, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
