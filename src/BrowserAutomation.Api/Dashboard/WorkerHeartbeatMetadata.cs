using System.Text.Json;

namespace BrowserAutomation.Api.Dashboard;

/// <summary>Reads what a worker's heartbeat stores in browser_workers.metadata (engine status, running jobs, pool counters).</summary>
internal sealed record WorkerHeartbeatMetadata(
    string? Engine, bool? Available, string? BrowserVersion, string? UnavailableReason, int RunningJobs, int? MaxConcurrentJobs, string? Host, WorkerPool? Pool)
{
    private static readonly WorkerHeartbeatMetadata Empty = new(null, null, null, null, 0, null, null, null);

    public static WorkerHeartbeatMetadata Parse(string? metadata)
    {
        if (string.IsNullOrEmpty(metadata))
        {
            return Empty;
        }

        using var document = JsonDocument.Parse(metadata);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Empty;
        }

        var running = root.TryGetProperty("runningJobs", out var jobs) && jobs.ValueKind == JsonValueKind.Array ? jobs.GetArrayLength() : 0;
        return new WorkerHeartbeatMetadata(
            String(root, "engine"),
            root.TryGetProperty("available", out var available) && available.ValueKind is JsonValueKind.True or JsonValueKind.False ? available.GetBoolean() : null,
            String(root, "browserVersion"),
            String(root, "unavailableReason"),
            running,
            Number(root, "maxConcurrentJobs") is { } max ? (int)max : null,
            String(root, "host"),
            root.TryGetProperty("pool", out var pool) && pool.ValueKind == JsonValueKind.Object ? ReadPool(pool) : null);
    }

    private static WorkerPool ReadPool(JsonElement pool) => new(
        (int)(Number(pool, "browsers") ?? 0),
        (int)(Number(pool, "draining") ?? 0),
        (int)(Number(pool, "openContexts") ?? 0),
        Number(pool, "pagesServed") ?? 0,
        Number(pool, "launched") ?? 0,
        Number(pool, "recycled") ?? 0,
        Number(pool, "crashed") ?? 0,
        Number(pool, "launchFailures") ?? 0);

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;
}
