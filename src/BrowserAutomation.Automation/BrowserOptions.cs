using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Automation;

/// <summary>How the worker finds and launches its browsers (section "Browser").</summary>
public sealed class BrowserOptions : IValidatableObject
{
    public const string SectionName = "Browser";

    public string ChromiumExecutablePath { get; set; } = "/usr/lib/chromium/chromium-headless-shell";

    public string FirefoxExecutablePath { get; set; } = "/usr/lib/firefox-esr/firefox-esr";

    /// <summary>Use Playwright's own browser builds (the Playwright Docker image): no ExecutablePath, no Channel.</summary>
    public bool UseBundledBrowsers { get; set; }

    public bool Headless { get; set; } = true;

    /// <summary>
    /// Engines launched by this process; empty means chromium only. The default is applied in
    /// <see cref="ResolveEngines"/> because the configuration binder appends to a pre-filled list.
    /// </summary>
    public IList<string> Engines { get; set; } = [];

    [Range(1_000, 600_000)]
    public int LaunchTimeoutMs { get; set; } = 30_000;

    /// <summary>The configured engines, lower-cased and de-duplicated; chromium when none is configured.</summary>
    public IReadOnlyList<string> ResolveEngines()
    {
        string[] engines = Engines
            .Where(static e => !string.IsNullOrWhiteSpace(e))
            .Select(static e => e.Trim().ToLowerInvariant())
            .Distinct()
            .ToArray();
        return engines.Length == 0 ? [BrowserEngines.Chromium] : engines;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        IReadOnlyList<string> engines = ResolveEngines();
        foreach (string engine in engines.Where(static e => !BrowserEngines.All.Contains(e)))
        {
            yield return new ValidationResult(
                $"Unknown engine '{engine}'; expected one of {string.Join(", ", BrowserEngines.All)}.", [nameof(Engines)]);
        }

        if (UseBundledBrowsers)
        {
            yield break;
        }

        if (engines.Contains(BrowserEngines.Chromium) && string.IsNullOrWhiteSpace(ChromiumExecutablePath))
        {
            yield return new ValidationResult("ChromiumExecutablePath is required unless UseBundledBrowsers is set.", [nameof(ChromiumExecutablePath)]);
        }

        if (engines.Contains(BrowserEngines.Firefox) && string.IsNullOrWhiteSpace(FirefoxExecutablePath))
        {
            yield return new ValidationResult("FirefoxExecutablePath is required unless UseBundledBrowsers is set.", [nameof(FirefoxExecutablePath)]);
        }

        if (engines.Contains(BrowserEngines.WebKit))
        {
            yield return new ValidationResult("WebKit runs only from Playwright's bundled build: set UseBundledBrowsers.", [nameof(Engines)]);
        }
    }
}
