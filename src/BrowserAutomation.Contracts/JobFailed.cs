namespace BrowserAutomation.Contracts;

/// <summary>A job failed for good (final; after its retries, or at once for a permanent error).</summary>
public sealed record JobFailed
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The reference the client gave at submission, if any.</summary>
    public string? ClientReference { get; init; }

    /// <summary>When the job failed.</summary>
    public required DateTime FailedAt { get; init; }

    /// <summary>One of <see cref="JobErrorTypes"/>.</summary>
    public required string ErrorType { get; init; }

    /// <summary>What went wrong (never contains secrets).</summary>
    public required string ErrorMessage { get; init; }

    /// <summary>Retries made before giving up.</summary>
    public int RetryCount { get; init; }

    /// <summary>What was produced before the failure (failure screenshot, steps that ran).</summary>
    public JobResult? Result { get; init; }
}
