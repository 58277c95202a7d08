namespace BrowserAutomation.Api.Dashboard;

/// <summary>GET /api/v1/overview: what the dashboard shows, in one call. Job figures cover the caller's owner (an admin key: every owner).</summary>
/// <param name="Caller">Whose jobs the figures cover.</param>
/// <param name="GeneratedAt">When the figures were read (ages are relative to it).</param>
/// <param name="WindowHours">The window of <paramref name="StatusCounts"/> and <paramref name="Failures"/>.</param>
/// <param name="StatusCounts">Jobs created within the window, by status.</param>
/// <param name="Queues">Per engine: pending and processing jobs and the age of the oldest pending one.</param>
/// <param name="Failures">Jobs that failed within the window, by error type, most frequent first.</param>
/// <param name="Workers">Live workers, and those seen offline recently, with their browser pools.</param>
/// <param name="Jobs">The newest jobs, newest first.</param>
public sealed record OverviewResponse(
    OverviewCaller Caller,
    DateTime GeneratedAt,
    int WindowHours,
    IReadOnlyDictionary<string, int> StatusCounts,
    IReadOnlyList<EngineBacklog> Queues,
    IReadOnlyList<FailureReason> Failures,
    IReadOnlyList<OverviewWorker> Workers,
    IReadOnlyList<OverviewJob> Jobs);

/// <summary>The key's owner, and whether it sees every owner's jobs (admin scope). The key itself is never echoed.</summary>
public sealed record OverviewCaller(string Owner, bool SeesAllOwners);

/// <summary>One engine's backlog.</summary>
public sealed record EngineBacklog(string Engine, int Pending, int Processing, double? OldestPendingAgeSeconds);

/// <summary>Failed jobs of one error type, with the latest one's message.</summary>
public sealed record FailureReason(string ErrorType, int Count, DateTime? LastFailedAt, string? LastMessage);

/// <summary>A worker's row for one engine, as its heartbeat reports it (offline once the heartbeat is stale).</summary>
public sealed record OverviewWorker(
    Guid Id,
    string Engine,
    string Status,
    bool? Available,
    string? BrowserVersion,
    string? UnavailableReason,
    int RunningJobs,
    int? MaxConcurrentJobs,
    DateTime LastHeartbeat,
    DateTime StartedAt,
    string? Host,
    WorkerPool? Pool);

/// <summary>A worker's browser pool for one engine (EnginePoolStats as the heartbeat carries it).</summary>
public sealed record WorkerPool(int Browsers, int Draining, int OpenContexts, long PagesServed, long Launched, long Recycled, long Crashed, long LaunchFailures);

/// <summary>A job as the dashboard lists it: the listing's fields plus its duration, failure and screenshots.</summary>
public sealed record OverviewJob(
    Guid Id,
    string Owner,
    string Status,
    string Engine,
    int BrowserTypeId,
    string? BrowserType,
    string ActionType,
    string TargetUrl,
    int Attempt,
    int RetryCount,
    string? ErrorType,
    string? ErrorMessage,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? CompletedAt,
    long? DurationMs,
    IReadOnlyList<OverviewArtifact> Screenshots);

/// <summary>A screenshot artifact; <paramref name="Url"/> downloads it with the same key.</summary>
public sealed record OverviewArtifact(Guid Id, string Url, string MimeType, long SizeBytes);
