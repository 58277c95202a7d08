using BrowserAutomation.Contracts;

namespace BrowserAutomation.Persistence.Jobs;

/// <summary>What automation_jobs.options holds: everything besides the action list needed to build each attempt.</summary>
public sealed record StoredJobOptions
{
    public Viewport? Viewport { get; init; }

    public string? UserAgent { get; init; }

    public string DeviceType { get; init; } = "desktop";

    public JobOptions? Context { get; init; }
}
