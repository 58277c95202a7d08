namespace BrowserAutomation.Api.Metrics;

/// <summary>What <see cref="BacklogSampler"/> last read from the database; ages are computed when Prometheus scrapes.</summary>
public sealed record BacklogSnapshot(
    IReadOnlyList<EngineBacklog> Engines,
    IReadOnlyList<WorkerCount> Workers,
    int OutboxPending,
    DateTime? OutboxOldest)
{
    public static readonly BacklogSnapshot Empty = new([], [], 0, null);
}

/// <summary>Pending jobs of one engine and when the oldest of them was accepted.</summary>
public sealed record EngineBacklog(string Engine, int Pending, DateTime? Oldest);

/// <summary>Workers of one engine in one state (idle, busy, offline).</summary>
public sealed record WorkerCount(string Engine, string State, int Count);
