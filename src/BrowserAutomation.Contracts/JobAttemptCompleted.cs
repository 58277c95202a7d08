namespace BrowserAutomation.Contracts;

/// <summary>An attempt of a job succeeded; the artifacts are already stored (worker → job state machine).</summary>
public sealed record JobAttemptCompleted
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The attempt that succeeded.</summary>
    public required int Attempt { get; init; }

    /// <summary>When execution began (in case <see cref="JobAttemptStarted"/> was never seen).</summary>
    public required DateTime StartedAt { get; init; }

    /// <summary>When execution ended.</summary>
    public required DateTime CompletedAt { get; init; }

    /// <summary>What the job produced.</summary>
    public required JobResult Result { get; init; }
}
