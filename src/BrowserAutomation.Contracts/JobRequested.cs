namespace BrowserAutomation.Contracts;

/// <summary>
/// A job attempt to execute. Published to the direct exchange "JobRequested" with the engine
/// (chromium, firefox, webkit) as routing key, so it lands in the engine's queue.
/// </summary>
public sealed record JobRequested
{
    /// <summary>The job id (saga correlation id).</summary>
    public required Guid JobId { get; init; }

    /// <summary>1 for the first try, incremented on every retry.</summary>
    public required int Attempt { get; init; }

    /// <summary>The browser type row this job asked for.</summary>
    public required int BrowserTypeId { get; init; }

    /// <summary>chromium, firefox or webkit: the routing key.</summary>
    public required string Engine { get; init; }

    /// <summary>desktop or mobile.</summary>
    public string DeviceType { get; init; } = "desktop";

    /// <summary>The URL visited first.</summary>
    public required string TargetUrl { get; init; }

    /// <summary>The ordered steps executed after the first navigation.</summary>
    public required IReadOnlyList<JobAction> Actions { get; init; }

    /// <summary>load, domcontentloaded, networkidle or commit for the first navigation.</summary>
    public string WaitUntil { get; init; } = "load";

    /// <summary>The whole attempt's time budget.</summary>
    public int TimeoutMs { get; init; } = 30000;

    /// <summary>0-9; higher runs first.</summary>
    public int Priority { get; init; }

    /// <summary>The page viewport (from the browser type unless overridden).</summary>
    public Viewport? Viewport { get; init; }

    /// <summary>A user agent override.</summary>
    public string? UserAgent { get; init; }

    /// <summary>
    /// UTC time after which this attempt must not start (the job's startBy for its first attempt, else its expiresAt):
    /// a worker receiving it later acknowledges it without a browser and reports <see cref="JobErrorTypes.DeadlineExpired"/>.
    /// </summary>
    public DateTime? NotAfter { get; init; }

    /// <summary>Job-level context options (locale, timezone, headers, cookies, credentials, blocking, device ...).</summary>
    public JobOptions? Options { get; init; }
}
