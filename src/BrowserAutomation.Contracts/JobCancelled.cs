namespace BrowserAutomation.Contracts;

/// <summary>A job was cancelled (final).</summary>
public sealed record JobCancelled
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The reference the client gave at submission, if any.</summary>
    public string? ClientReference { get; init; }

    /// <summary>When it was cancelled.</summary>
    public required DateTime CancelledAt { get; init; }

    /// <summary>The status it was cancelled from: pending or processing.</summary>
    public required string PreviousStatus { get; init; }
}
