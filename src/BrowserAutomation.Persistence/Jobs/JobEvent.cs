namespace BrowserAutomation.Persistence.Jobs;

/// <summary>
/// One status transition (table job_events), written by <see cref="JobTransitions"/> in the transaction that makes it.
/// <see cref="Id"/> is the live streams' event id: ids are handed out in commit order (a trigger serialises the
/// inserts until commit), so a stream that has seen id N has seen every visible transition before it.
/// </summary>
public sealed class JobEvent
{
    public long Id { get; set; }

    public Guid JobId { get; set; }

    /// <summary>The job's owner, copied so a tenant's all-jobs stream reads its own rows without a join.</summary>
    public required string Owner { get; set; }

    public required string Status { get; set; }

    public string? PreviousStatus { get; set; }

    /// <summary>The job's status version after the transition (1 for the first).</summary>
    public int Version { get; set; }

    public int Attempt { get; set; }

    public DateTime ChangedAt { get; set; }
}
