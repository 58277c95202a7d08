namespace BrowserAutomation.Contracts;

/// <summary>An attempt of a job failed (worker → job state machine); the machine decides whether to retry.</summary>
public sealed record JobAttemptFailed
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The attempt that failed.</summary>
    public required int Attempt { get; init; }

    /// <summary>When execution began.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>When the failure happened.</summary>
    public required DateTime FailedAt { get; init; }

    /// <summary>One of <see cref="JobErrorTypes"/>.</summary>
    public required string ErrorType { get; init; }

    /// <summary>A human-readable message (never contains secrets).</summary>
    public required string ErrorMessage { get; init; }

    /// <summary>What was produced before the failure (failure screenshot, steps that ran).</summary>
    public JobResult? Result { get; init; }
}
