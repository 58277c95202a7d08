namespace BrowserAutomation.Automation;

/// <summary>The engine names used in jobs, configuration and queue routing keys.</summary>
public static class BrowserEngines
{
    public const string Chromium = "chromium";

    public const string Firefox = "firefox";

    public const string WebKit = "webkit";

    public static IReadOnlyList<string> All { get; } = [Chromium, Firefox, WebKit];
}
