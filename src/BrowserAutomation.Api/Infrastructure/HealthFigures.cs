using System.Text.Json;
using BrowserAutomation.Api.Workers;
using BrowserAutomation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>The workers and browser pools of /health, read from the live workers' heartbeat rows and their metadata.</summary>
public static class HealthFigures
{
    public static async Task<(WorkersHealth Workers, BrowserPoolHealth Pool)> LoadAsync(AutomationDbContext db, WorkerLiveness liveness,
        CancellationToken cancellationToken)
    {
        var cutoff = liveness.Cutoff;
        var rows = await db.Workers.AsNoTracking()
            .Where(w => w.Status != "offline" && w.LastHeartbeat >= cutoff)
            .Select(w => new { w.Status, w.Metadata })
            .ToListAsync(cancellationToken);

        var workers = new List<(string Status, string Engine, JsonElement? Metadata)>();
        foreach (var row in rows)
        {
            JsonElement? metadata = row.Metadata is null ? null : JsonDocument.Parse(row.Metadata).RootElement;
            var engine = metadata is { } m && m.TryGetProperty("engine", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "unknown";
            workers.Add((row.Status, engine, metadata));
        }

        var byEngine = workers.GroupBy(w => w.Engine).ToDictionary(g => g.Key, g => Sum(g.Select(w => w.Metadata), null));
        return (new WorkersHealth(workers.Count, workers.Count(w => w.Status == "idle"), workers.Count(w => w.Status == "busy"),
                workers.GroupBy(w => w.Engine).ToDictionary(g => g.Key, g => g.Count())),
            Sum(workers.Select(w => w.Metadata), byEngine));
    }

    private static BrowserPoolHealth Sum(IEnumerable<JsonElement?> heartbeats, IReadOnlyDictionary<string, BrowserPoolHealth>? byEngine)
    {
        int browsers = 0, contexts = 0, available = 0;
        long pages = 0, launched = 0, recycled = 0, crashed = 0, failures = 0;
        foreach (var metadata in heartbeats.OfType<JsonElement>())
        {
            if (metadata.TryGetProperty("available", out var up) && up.ValueKind == JsonValueKind.True)
            {
                available++;
            }

            if (!metadata.TryGetProperty("pool", out var pool) || pool.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            browsers += (int)Number(pool, "browsers");
            contexts += (int)Number(pool, "openContexts");
            pages += Number(pool, "pagesServed");
            launched += Number(pool, "launched");
            recycled += Number(pool, "recycled");
            crashed += Number(pool, "crashed");
            failures += Number(pool, "launchFailures");
        }

        return new BrowserPoolHealth(browsers, contexts, pages, launched, recycled, crashed, failures, available, byEngine);
    }

    private static long Number(JsonElement pool, string name) =>
        pool.TryGetProperty(name, out var value) && value.TryGetInt64(out var number) ? number : 0;
}
