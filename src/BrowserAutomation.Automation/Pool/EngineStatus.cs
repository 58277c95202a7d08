namespace BrowserAutomation.Automation.Pool;

/// <summary>The last known state of one engine's browser: whether it launched and, if not, why.</summary>
public sealed record EngineStatus(bool Available, string? Version, string? Reason, DateTimeOffset CheckedAt)
{
    internal static EngineStatus NotStarted { get; } = new(false, null, "not launched yet", DateTimeOffset.MinValue);
}
