namespace BrowserAutomation.Contracts;

/// <summary>A job finished successfully (final; published once by the job state machine).</summary>
public sealed record JobCompleted
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The reference the client gave at submission (SubmitJob.ClientReference), if any.</summary>
    public string? ClientReference { get; init; }

    /// <summary>When the job finished.</summary>
    public required DateTime CompletedAt { get; init; }

    /// <summary>Retries it took.</summary>
    public int RetryCount { get; init; }

    /// <summary>What the job produced (artifact links are /api/v1/jobs/{jobId}/artifacts/{artifactId}).</summary>
    public required JobResult Result { get; init; }
}
