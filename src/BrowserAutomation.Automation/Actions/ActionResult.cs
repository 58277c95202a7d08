using BrowserAutomation.Automation.Execution;

namespace BrowserAutomation.Automation.Actions;

/// <summary>What one step produced.</summary>
internal sealed record ActionResult
{
    public static ActionResult None { get; } = new();

    public IReadOnlyList<ProducedArtifact> Artifacts { get; init; } = [];

    public static ActionResult WithArtifact(ProducedArtifact artifact) => new() { Artifacts = [artifact] };
}
