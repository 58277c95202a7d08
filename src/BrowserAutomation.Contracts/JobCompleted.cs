namespace BrowserAutomation.Contracts;

/// <summary>An attempt of a job succeeded; the artifacts are already stored.</summary>
public sealed record JobCompleted
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The attempt that succeeded.</summary>
    public required int Attempt { get; init; }

    /// <summary>When execution began (in case <see cref="JobStarted"/> was never seen).</summary>
    public required DateTime StartedAt { get; init; }

    /// <summary>When execution ended.</summary>
    public required DateTime CompletedAt { get; init; }

    /// <summary>What the job produced.</summary>
    public required JobResult Result { get; init; }
}
