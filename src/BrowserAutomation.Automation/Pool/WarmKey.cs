namespace BrowserAutomation.Automation.Pool;

/// <summary>
/// The shape of a context that jobs with default context options get: the job's viewport and user agent (what its
/// browser type sets), nothing else. Warm contexts are made for one key per engine (the last one seen).
/// </summary>
public sealed record WarmKey(int? ViewportWidth, int? ViewportHeight, string? UserAgent)
{
    /// <summary>No viewport, no user agent: Playwright's defaults.</summary>
    public static WarmKey Default { get; } = new(null, null, null);
}
