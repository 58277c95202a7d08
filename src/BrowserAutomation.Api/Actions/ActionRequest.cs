using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Actions;

/// <summary>
/// What every action endpoint accepts besides its own payload: the browser type and the job-level options of
/// POST /api/v1/jobs. Each endpoint turns its body into a <see cref="SubmitJob"/> in the single-action form (actionType + payload).
/// </summary>
public abstract record ActionRequest
{
    /// <summary>Browser type id from GET /api/v1/browsers (default 1, Chromium).</summary>
    public int? BrowserTypeId { get; init; }

    /// <summary>The page to open.</summary>
    public string? Url { get; init; }

    /// <summary>load (default), domcontentloaded, networkidle or commit.</summary>
    public string? WaitUntil { get; init; }

    /// <summary>Viewport override (default: the browser type's).</summary>
    public Viewport? Viewport { get; init; }

    /// <summary>User agent override.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Browser context options: locale, timezoneId, colorScheme, extraHttpHeaders, cookies, httpCredentials, javaScriptEnabled, blockResources, deviceScaleFactor, device.</summary>
    public JobOptions? Options { get; init; }

    /// <summary>0 (default) to 10; higher runs first.</summary>
    public int? Priority { get; init; }

    /// <summary>The job's time budget per attempt in milliseconds (default 30000).</summary>
    public int? TimeoutMs { get; init; }

    /// <summary>Retries for transient failures (default 3).</summary>
    public int? MaxRetries { get; init; }

    /// <summary>The job must have started by this UTC time, or it ends expired (see POST /api/v1/jobs).</summary>
    public DateTimeOffset? StartBy { get; init; }

    /// <summary>A job still pending at this UTC time ends expired (see POST /api/v1/jobs).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>A reference of the client's, echoed in status events.</summary>
    public string? ClientReference { get; init; }

    /// <summary>The actionType this endpoint stands for.</summary>
    protected abstract string ActionType { get; }

    /// <summary>The payload fields of this action.</summary>
    protected abstract JobPayload Payload();

    /// <summary>The request as a job in the single-action form (actionType + payload).</summary>
    public SubmitJob ToSubmitJob() => new()
    {
        BrowserTypeId = BrowserTypeId ?? 1,
        ActionType = ActionType,
        Payload = Payload() with { Url = Url, WaitUntil = WaitUntil, Viewport = Viewport },
        UserAgent = UserAgent,
        Options = Options,
        Priority = Priority,
        TimeoutMs = TimeoutMs,
        MaxRetries = MaxRetries,
        StartBy = StartBy,
        ExpiresAt = ExpiresAt,
        ClientReference = ClientReference,
    };
}
