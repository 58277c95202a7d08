namespace BrowserAutomation.Contracts;

/// <summary>
/// Submit a job: the body of POST /api/v1/jobs, and a command bus clients send to the "submit-job" queue.
/// Either the seed's single-action form (<see cref="ActionType"/> + <see cref="Payload"/>) or a URL with an ordered
/// action list (<see cref="Url"/> + <see cref="Actions"/>).
/// </summary>
public sealed record SubmitJob
{
    /// <summary>Browser type id from GET /api/v1/browsers.</summary>
    public int? BrowserTypeId { get; init; }

    /// <summary>Seed form: screenshot, visit, form-fill, extract or pdf.</summary>
    public string? ActionType { get; init; }

    /// <summary>Seed form: the action's options.</summary>
    public JobPayload? Payload { get; init; }

    /// <summary>Action-list form: the URL visited first.</summary>
    public string? Url { get; init; }

    /// <summary>Action-list form: the steps executed after the first navigation.</summary>
    public IReadOnlyList<JobAction>? Actions { get; init; }

    /// <summary>load (default), domcontentloaded, networkidle or commit, for the first navigation.</summary>
    public string? WaitUntil { get; init; }

    /// <summary>Viewport override (default: the browser type's).</summary>
    public Viewport? Viewport { get; init; }

    /// <summary>User agent override.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Browser context options: locale, timezone, headers, cookies, credentials, blocking ...</summary>
    public JobOptions? Options { get; init; }

    /// <summary>0 (default) to 10; higher runs first.</summary>
    public int? Priority { get; init; }

    /// <summary>The whole job's time budget per attempt in milliseconds (default 30000).</summary>
    public int? TimeoutMs { get; init; }

    /// <summary>Retries for transient failures (default 3).</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Bus clients: echoed in JobSubmitted, JobStatusChanged, JobCompleted, JobFailed and JobCancelled.</summary>
    public string? ClientReference { get; init; }

    /// <summary>Submitting again with the same key and the same body returns the same job (REST: the Idempotency-Key header).</summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>The seed's payload for single-action jobs.</summary>
public sealed record JobPayload
{
    /// <summary>The page to open.</summary>
    public string? Url { get; init; }

    /// <summary>screenshot: the full scrollable page.</summary>
    public bool? FullPage { get; init; }

    /// <summary>load, domcontentloaded, networkidle or commit.</summary>
    public string? WaitUntil { get; init; }

    /// <summary>screenshot: png (default) or jpeg. pdf: paper format (A4 ...).</summary>
    public string? Format { get; init; }

    /// <summary>screenshot: JPEG quality 0-100.</summary>
    public int? Quality { get; init; }

    /// <summary>screenshot: only this element (CSS or XPath).</summary>
    public string? Selector { get; init; }

    /// <summary>Viewport override.</summary>
    public Viewport? Viewport { get; init; }

    /// <summary>visit: navigation timeout in milliseconds (the seed's "timeout").</summary>
    public int? Timeout { get; init; }
}
