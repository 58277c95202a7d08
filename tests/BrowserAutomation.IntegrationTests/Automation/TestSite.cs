using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BrowserAutomation.IntegrationTests.Automation;

/// <summary>A tiny site on 127.0.0.1 and a free port, serving the pages the browser tests visit.</summary>
public sealed class TestSite : IAsyncDisposable
{
    public const string PageTitle = "Automation test page";
    public const int BoxWidth = 200;
    public const int BoxHeight = 100;
    public const int TallHeight = 3000;

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

    // Seeded noise: detail that JPEG quality visibly trades against size.
    private const string Noise = """
        <!doctype html>
        <html><head><title>Noise</title><style>html, body { margin: 0; }</style></head>
        <body><canvas id="c" width="800" height="600"></canvas>
        <script>
          const ctx = document.getElementById('c').getContext('2d');
          let seed = 42;
          const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
          for (let y = 0; y < 600; y += 4)
            for (let x = 0; x < 800; x += 4) {
              ctx.fillStyle = `rgb(${Math.floor(next() * 256)}, ${Math.floor(next() * 256)}, ${Math.floor(next() * 256)})`;
              ctx.fillRect(x, y, 4, 4);
            }
        </script></body></html>
        """;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _hanging = new();

    private TestSite(WebApplication app)
    {
        _app = app;
        app.MapGet("/page", () => Results.Content(Page, "text/html"));
        app.MapGet("/tall", () => Results.Content(Tall, "text/html"));
        app.MapGet("/noise", () => Results.Content(Noise, "text/html"));
        // Never answers: signals that the browser asked, then waits until the browser goes away.
        app.MapGet("/hang", async (string id, HttpContext http) =>
        {
            HangSignal(id).TrySetResult();
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(static _ => { }, TaskScheduler.Default);
            return Results.Empty;
        });
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<TestSite> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var site = new TestSite(builder.Build());
        await site._app.StartAsync();
        string address = site._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        site.BaseAddress = new Uri(address);
        return site;
    }

    public string Url(string pathAndQuery) => new Uri(BaseAddress, pathAndQuery).ToString();

    /// <summary>Completes when the browser has requested /hang?id={id}.</summary>
    public Task WaitForHangRequestAsync(string id) => HangSignal(id).Task;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private TaskCompletionSource HangSignal(string id) =>
        _hanging.GetOrAdd(id, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
