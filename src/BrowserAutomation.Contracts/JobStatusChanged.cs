namespace BrowserAutomation.Contracts;

/// <summary>Published by the job state machine on every status transition.</summary>
public sealed record JobStatusChanged
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The status before the transition.</summary>
    public required string PreviousStatus { get; init; }

    /// <summary>The status after the transition (see <see cref="JobStatuses"/>).</summary>
    public required string Status { get; init; }

    /// <summary>When the transition happened.</summary>
    public required DateTime ChangedAt { get; init; }

    /// <summary>Counts the job's transitions (1 for the first); orders events that arrive out of order.</summary>
    public int Version { get; init; }

    /// <summary>The attempt the job is on.</summary>
    public int Attempt { get; init; }

    /// <summary>The reference the client gave at submission, if any.</summary>
    public string? ClientReference { get; init; }
}
