namespace BrowserAutomation.Contracts;

/// <summary>A worker has begun executing an attempt of a job (worker → job state machine).</summary>
public sealed record JobAttemptStarted
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The attempt being executed.</summary>
    public required int Attempt { get; init; }

    /// <summary>The worker executing it.</summary>
    public Guid? WorkerId { get; init; }

    /// <summary>When execution began.</summary>
    public required DateTime StartedAt { get; init; }
}
