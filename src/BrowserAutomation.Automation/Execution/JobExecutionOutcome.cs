using System.Text.Json;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.Automation.Execution;

/// <summary>The outcome of one attempt, before artifacts are stored.</summary>
public sealed record JobExecutionOutcome
{
    public bool Succeeded => ErrorType is null;

    public string? ErrorType { get; init; }

    public string? ErrorMessage { get; init; }

    public int? FailedStepIndex { get; init; }

    public required DateTime StartedAt { get; init; }

    public required DateTime FinishedAt { get; init; }

    public long DurationMs { get; init; }

    public string? FinalUrl { get; init; }

    public int? HttpStatus { get; init; }

    public string? Title { get; init; }

    public IReadOnlyList<StepOutcome> Steps { get; init; } = [];

    public IReadOnlyDictionary<string, JsonElement> Extracted { get; init; } = new Dictionary<string, JsonElement>();

    public IReadOnlyList<ProducedArtifact> Artifacts { get; init; } = [];

    /// <summary>Requests of the page the URL policy refused without failing the job (subresources, frames, popups).</summary>
    public IReadOnlyList<BlockedRequest> BlockedRequests { get; init; } = [];

    /// <summary>The page's console messages (bounded, see <see cref="Forensics.AttemptForensics"/>).</summary>
    public IReadOnlyList<ConsoleEntry> Console { get; init; } = [];

    /// <summary>The page's uncaught errors (bounded).</summary>
    public IReadOnlyList<PageError> PageErrors { get; init; } = [];
}
