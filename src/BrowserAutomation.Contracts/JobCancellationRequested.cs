namespace BrowserAutomation.Contracts;

/// <summary>Broadcast to every worker: abort this job's page if you are running it.</summary>
public sealed record JobCancellationRequested
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }
}
