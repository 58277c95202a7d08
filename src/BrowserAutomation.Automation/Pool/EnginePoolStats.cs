namespace BrowserAutomation.Automation.Pool;

/// <summary>One engine's pool, as counted since the pool started (for worker heartbeats and dashboards).</summary>
/// <param name="Engine">chromium, firefox or webkit.</param>
/// <param name="Browsers">Browser processes running or launching, recycled ones still finishing included.</param>
/// <param name="Draining">Browsers being recycled: they take no new work and close when their last context does.</param>
/// <param name="OpenContexts">Contexts open right now: in use by a job or still closing (warm ones are counted in <paramref name="WarmReady"/>).</param>
/// <param name="PagesServed">Contexts handed out.</param>
/// <param name="Launched">Successful launches.</param>
/// <param name="Recycled">Browsers closed after serving their page quota.</param>
/// <param name="IdleClosed">Browsers closed after the idle timeout (beyond the minimum).</param>
/// <param name="Crashed">Browsers that died or disconnected without being asked to.</param>
/// <param name="LaunchFailures">Launches that failed.</param>
/// <param name="WarmReady">Contexts warmed with a blank page, ready for the next job with default context options.</param>
/// <param name="WarmHits">Jobs served from a warm context.</param>
/// <param name="WarmMisses">Jobs with default context options that found no warm context ready and opened their own.</param>
public sealed record EnginePoolStats(
    string Engine,
    int Browsers,
    int Draining,
    int OpenContexts,
    long PagesServed,
    long Launched,
    long Recycled,
    long IdleClosed,
    long Crashed,
    long LaunchFailures,
    int WarmReady = 0,
    long WarmHits = 0,
    long WarmMisses = 0);
