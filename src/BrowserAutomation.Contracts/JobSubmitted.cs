namespace BrowserAutomation.Contracts;

/// <summary>The answer to <see cref="SubmitJob"/> on the bus: the job exists (new, or the same one for a repeated key).</summary>
public sealed record JobSubmitted
{
    /// <summary>The job id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The client's reference from the command.</summary>
    public string? ClientReference { get; init; }

    /// <summary>The job's status when answered.</summary>
    public required string Status { get; init; }

    /// <summary>When the job was created.</summary>
    public required DateTime CreatedAt { get; init; }

    /// <summary>The job was answered from the result cache: it is already completed (a JobCompleted follows).</summary>
    public bool Cached { get; init; }

    /// <summary>For a cached job: the earlier job whose result and artifacts it shares.</summary>
    public Guid? CachedFrom { get; init; }
}
