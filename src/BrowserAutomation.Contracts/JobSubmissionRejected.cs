namespace BrowserAutomation.Contracts;

/// <summary>The answer to an invalid <see cref="SubmitJob"/> on the bus: nothing was created.</summary>
public sealed record JobSubmissionRejected
{
    /// <summary>The client's reference from the command.</summary>
    public string? ClientReference { get; init; }

    /// <summary>A summary of what is wrong.</summary>
    public required string Reason { get; init; }

    /// <summary>Field (JSON path) → problems, as in the REST problem details.</summary>
    public required IReadOnlyDictionary<string, string[]> Errors { get; init; }
}
