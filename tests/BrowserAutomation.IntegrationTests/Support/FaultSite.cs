using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>Pages that misbehave on purpose, on 127.0.0.1: failing a set number of times, or answering slowly.</summary>
public sealed class FaultSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _hits = new();

    private FaultSite(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<FaultSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var site = new FaultSite(app);

        // Drops the connection the first `fail` times (the browser sees a network error), then serves a page.
        app.MapGet("/flaky", (string id, int fail, HttpContext http) =>
        {
            var hit = site._hits.AddOrUpdate(id, 1, (_, n) => n + 1);
            if (hit <= fail)
            {
                http.Abort();
                return Results.Empty;
            }

            return Results.Content($"<html><head><title>Flaky {id}</title></head><body>served on hit {hit}</body></html>", "text/html");
        });

        // Answers after `ms` milliseconds, or when the client goes away.
        app.MapGet("/slow", async (int ms, HttpContext http) =>
        {
            site._hits.AddOrUpdate("slow", 1, (_, n) => n + 1);
            try
            {
                await Task.Delay(ms, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;
            }

            return Results.Content("<html><head><title>Slow</title></head><body>finally</body></html>", "text/html");
        });

        await app.StartAsync();
        site.BaseAddress = new Uri(app.Urls.First());
        return site;
    }

    public int Hits(string id) => _hits.TryGetValue(id, out var n) ? n : 0;

    public string Url(string pathAndQuery) => new Uri(BaseAddress, pathAndQuery).ToString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
