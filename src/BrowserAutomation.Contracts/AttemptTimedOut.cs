namespace BrowserAutomation.Contracts;

/// <summary>
/// Scheduled by the job state machine for each attempt: if the attempt has not reported by then (worker hung,
/// network partition), it counts as a timeout failure. Stale ones (another attempt, a finished job) are ignored.
/// </summary>
public sealed record AttemptTimedOut
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The attempt the watchdog was set for.</summary>
    public required int Attempt { get; init; }
}
