using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Jobs;

/// <summary>A validated, normalised job, ready to be stored and published.</summary>
public sealed record JobSpecification(
    int BrowserTypeId,
    string ActionType,
    string TargetUrl,
    IReadOnlyList<JobAction> Actions,
    string WaitUntil,
    Viewport? Viewport,
    int Priority,
    int TimeoutMs)
{
    public int MaxRetries { get; init; } = 3;

    public DateTime? StartBy { get; init; }

    public DateTime? ExpiresAt { get; init; }

    public string? UserAgent { get; init; }

    public JobOptions? Options { get; init; }
}
