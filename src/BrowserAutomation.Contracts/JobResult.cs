using System.Text.Json;

namespace BrowserAutomation.Contracts;

/// <summary>What a job attempt produced.</summary>
public sealed record JobResult
{
    /// <summary>Total execution time in milliseconds.</summary>
    public long DurationMs { get; init; }

    /// <summary>The page URL after the last step.</summary>
    public string? FinalUrl { get; init; }

    /// <summary>HTTP status of the main navigation.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>The page title after the last step.</summary>
    public string? Title { get; init; }

    /// <summary>Per-step outcomes, in order.</summary>
    public IReadOnlyList<StepOutcome> Steps { get; init; } = [];

    /// <summary>Named extracted values.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extracted { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Stored artifacts.</summary>
    public IReadOnlyList<ArtifactInfo> Artifacts { get; init; } = [];

    /// <summary>Index of the step that failed, if any.</summary>
    public int? FailedStepIndex { get; init; }

    /// <summary>Requests of the page that the URL policy refused (at most 100); empty when none were.</summary>
    public IReadOnlyList<BlockedRequest> BlockedRequests { get; init; } = [];

    /// <summary>What the page wrote to its console (at most 100 messages).</summary>
    public IReadOnlyList<ConsoleEntry> Console { get; init; } = [];

    /// <summary>Errors the page's scripts threw uncaught (at most 100).</summary>
    public IReadOnlyList<PageError> PageErrors { get; init; } = [];
}

/// <summary>The outcome of one step.</summary>
public sealed record StepOutcome(int Index, string Action, string Status, long DurationMs, string? Error = null);

/// <summary>A stored artifact (file bytes live in job_artifacts).</summary>
public sealed record ArtifactInfo(Guid ArtifactId, string ArtifactType, string FileName, string MimeType, long SizeBytes, int? StepIndex = null);
