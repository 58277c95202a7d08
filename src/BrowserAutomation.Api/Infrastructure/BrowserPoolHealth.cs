namespace BrowserAutomation.Api.Infrastructure;

/// <summary>
/// Browser pool figures summed over the live workers' heartbeats: browsers running, contexts open, and what the
/// pools counted since their worker started. <see cref="AvailableWorkers"/> are those whose engine launches.
/// </summary>
public sealed record BrowserPoolHealth(int Browsers, int OpenContexts, long PagesServed, long Launched, long Recycled, long Crashed,
    long LaunchFailures, int AvailableWorkers, IReadOnlyDictionary<string, BrowserPoolHealth>? ByEngine);
