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

    /// <summary>Browsers kept running per engine even when idle (BROWSER_POOL_MIN_SIZE).</summary>
    [Range(0, 64)]
    public int MinBrowsers { get; set; } = 1;

    /// <summary>
    /// Browsers accepting work per engine (BROWSER_POOL_MAX_SIZE). A recycled browser that is still finishing its
    /// last jobs does not count: it takes no new work.
    /// </summary>
    [Range(1, 64)]
    public int MaxBrowsers { get; set; } = 5;

    /// <summary>
    /// Concurrent contexts a browser takes before another browser is launched (BROWSER_MAX_CONTEXTS_PER_BROWSER).
    /// With every browser full and <see cref="MaxBrowsers"/> reached, the least busy browser takes one more.
    /// </summary>
    [Range(1, 1_000)]
    public int ContextsPerBrowser { get; set; } = 4;

    /// <summary>Pages (one per job) a browser serves before it is recycled (BROWSER_MAX_PAGES_PER_BROWSER); 0 never recycles.</summary>
    [Range(0, 1_000_000)]
    public int MaxPagesPerBrowser { get; set; } = 100;

    /// <summary>Browsers beyond <see cref="MinBrowsers"/> idle this long are closed (BROWSER_IDLE_TIMEOUT_MS).</summary>
    [Range(100, 86_400_000)]
    public int IdleTimeoutMs { get; set; } = 300_000;

    /// <summary>
    /// How long a step waits for its target to exist when the step sets no timeoutMs (never beyond the job's
    /// remaining budget). A target that never appears fails as selector_not_found after this, not after the job timeout.
    /// </summary>
    [Range(1, 300_000)]
    public int TargetTimeoutMs { get; set; } = 5_000;

    /// <summary>
    /// Heap cap of the Playwright Node driver, in MB (PLAYWRIGHT_DRIVER_MAX_HEAP_MB; 0 leaves Node's default). Without a
    /// cap V8 lets the driver's heap grow for hundreds of jobs before it collects (RSS 154, 222, 333 MB at 0, 250, 500 jobs);
    /// with one it collects early and stays near 150 MB. Large artifacts pass through the driver as base64, so keep the cap
    /// well above a few times MAX_ARTIFACT_SIZE_MB.
    /// </summary>
    [Range(0, 16_384)]
    public int DriverMaxHeapMb { get; set; } = 256;

    /// <summary>
    /// Largest single artifact (screenshot, PDF) a job may produce, in MB (MAX_ARTIFACT_SIZE_MB). A bigger one fails the
    /// job as artifact_too_large before it is stored.
    /// </summary>
    [Range(1, 1_024)]
    public int MaxArtifactSizeMb { get; set; } = 50;

    /// <summary>Largest total of a job's artifacts, in MB (MAX_JOB_ARTIFACTS_SIZE_MB); beyond it the job fails as artifact_too_large.</summary>
    [Range(1, 4_096)]
    public int MaxJobArtifactsSizeMb { get; set; } = 100;

    /// <summary>
    /// Contexts per engine kept ready with a blank page for jobs with default context options (WORKER_PREWARM_CONTEXTS;
    /// 0 disables). Each serves one job and is closed after it; they are warmed only while a job slot is free.
    /// </summary>
    [Range(0, 16)]
    public int PrewarmContexts { get; set; } = 2;

    /// <summary>Jobs the worker runs at once per engine (its WORKER_MAX_CONCURRENT_JOBS): warming only happens below it.</summary>
    [Range(1, 1_000)]
    public int JobSlots { get; set; } = 4;

    /// <summary>
    /// Allows the evaluate action, which runs arbitrary JavaScript in the page (EVALUATE_ENABLED). Only for
    /// deployments whose clients are all trusted.
    /// </summary>
    public bool EvaluateEnabled { get; set; }

    /// <summary>The configured browser engines, lower-cased and de-duplicated; chromium when none is configured.</summary>
    public IReadOnlyList<string> ResolveEngines()
    {
        var engines = Engines
            .Where(static e => !string.IsNullOrWhiteSpace(e))
            .Select(static e => e.Trim().ToLowerInvariant())
            .Distinct()
            .ToArray();
        // The simulated engine runs no browser, so a worker serving only it has an empty pool.
        return engines.Length == 0 ? [BrowserEngines.Chromium] : [.. engines.Where(static e => e != Contracts.SimulatedEngine.Name)];
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var engines = ResolveEngines();
        if (MinBrowsers > MaxBrowsers)
        {
            yield return new ValidationResult(
                $"BROWSER_POOL_MIN_SIZE ({MinBrowsers}) cannot exceed BROWSER_POOL_MAX_SIZE ({MaxBrowsers}).", [nameof(MinBrowsers), nameof(MaxBrowsers)]);
        }

        foreach (var engine in engines.Where(static e => !BrowserEngines.All.Contains(e)))
        {
            yield return new ValidationResult(
                $"WORKER_ENGINES: unknown engine '{engine}'; expected one of {string.Join(", ", BrowserEngines.All)}.", [nameof(Engines)]);
        }

        if (UseBundledBrowsers)
        {
            yield break;
        }

        if (engines.Contains(BrowserEngines.Chromium) && string.IsNullOrWhiteSpace(ChromiumExecutablePath))
        {
            yield return new ValidationResult("CHROMIUM_EXECUTABLE_PATH is required unless BROWSER_USE_BUNDLED is set.", [nameof(ChromiumExecutablePath)]);
        }

        if (engines.Contains(BrowserEngines.Firefox) && string.IsNullOrWhiteSpace(FirefoxExecutablePath))
        {
            yield return new ValidationResult("FIREFOX_EXECUTABLE_PATH is required unless BROWSER_USE_BUNDLED is set.", [nameof(FirefoxExecutablePath)]);
        }

        if (engines.Contains(BrowserEngines.WebKit))
        {
            yield return new ValidationResult("WebKit runs only from Playwright's bundled build: set BROWSER_USE_BUNDLED.", [nameof(Engines)]);
        }
    }
}
