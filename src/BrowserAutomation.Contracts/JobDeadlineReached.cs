namespace BrowserAutomation.Contracts;

/// <summary>
/// Delayed through the outbox to a job's startBy or expiresAt: the job state machine ends a job still waiting for
/// its worker then as expired. It arrives once per deadline; one that finds the job started or finished is ignored.
/// </summary>
public sealed record JobDeadlineReached
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>startBy or expiresAt.</summary>
    public required string Deadline { get; init; }

    /// <summary>The deadline's time (UTC).</summary>
    public required DateTime At { get; init; }

    /// <summary>The deadline to start.</summary>
    public const string StartBy = "startBy";

    /// <summary>The time after which the result is no longer wanted.</summary>
    public const string ExpiresAt = "expiresAt";
}
