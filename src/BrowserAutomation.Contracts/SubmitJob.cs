namespace BrowserAutomation.Contracts;

/// <summary>
/// Submit a job: the body of POST /api/v1/jobs, and a command bus clients send to the "submit-job" queue.
/// Either the single-action form (<see cref="ActionType"/> + <see cref="Payload"/>) or a URL with an ordered
/// action list (<see cref="Url"/> + <see cref="Actions"/>).
/// </summary>
public sealed record SubmitJob
{
    /// <summary>Browser type id from GET /api/v1/browsers.</summary>
    public int? BrowserTypeId { get; init; }

    /// <summary>Single-action form: screenshot, visit, form-fill, extract or pdf.</summary>
    public string? ActionType { get; init; }

    /// <summary>Single-action form: the action's options.</summary>
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

    /// <summary>
    /// Optional result cache: an identical job (same owner, steps, browser type and options) that completed within
    /// maxAgeSeconds answers at once as a completed job marked cached, sharing its result and artifacts. Off when absent.
    /// </summary>
    public JobCacheOptions? Cache { get; init; }

    /// <summary>
    /// Deadline to start: a job no worker has begun by this UTC time ends expired, without using a browser. Once an
    /// attempt has started, startBy is met (retries are bound only by <see cref="ExpiresAt"/>). At most 7 days ahead.
    /// </summary>
    public DateTimeOffset? StartBy { get; init; }

    /// <summary>
    /// The caller no longer wants the result after this UTC time: a job still pending then (first attempt or waiting
    /// for a retry) ends expired without using a browser; an attempt already running may finish. At most 7 days ahead,
    /// not before <see cref="StartBy"/>.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Bus clients: echoed in JobSubmitted, JobStatusChanged, JobCompleted, JobFailed and JobCancelled.</summary>
    public string? ClientReference { get; init; }

    /// <summary>Submitting again with the same key and the same body returns the same job (REST: the Idempotency-Key header).</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// Bus clients: the tenant the job belongs to (at most 100 characters); absent means <see cref="DefaultBusOwner"/>.
    /// Bus commands are trusted by their broker credentials. Over REST this field is ignored: the job belongs to the
    /// owner of the API key that submitted it.
    /// </summary>
    public string? Owner { get; init; }

    /// <summary>Push the outcome to this receiver (default: the submitting API key's default webhook, if it has one).</summary>
    public WebhookSubscription? Webhook { get; init; }

    /// <summary>The owner of jobs submitted over the bus without an <see cref="Owner"/>.</summary>
    public const string DefaultBusOwner = "bus";
}

/// <summary>The payload of the single-action form.</summary>
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

    /// <summary>visit: navigation timeout in milliseconds (named "timeout" in the single-action form).</summary>
    public int? Timeout { get; init; }

    /// <summary>screenshot: transparent background instead of white (png only).</summary>
    public bool? OmitBackground { get; init; }

    /// <summary>screenshot: capture only this rectangle of the page.</summary>
    public Clip? Clip { get; init; }

    /// <summary>form-fill: the steps, in order ({type, selector, value}).</summary>
    public IReadOnlyList<FormFillStep>? Actions { get; init; }

    /// <summary>form-fill: after the last step, wait for the page it led to (its load state = <see cref="WaitUntil"/>).</summary>
    public bool? WaitForNavigation { get; init; }

    /// <summary>extract: the named values to read.</summary>
    public IReadOnlyList<PayloadExtractor>? Extractors { get; init; }

    /// <summary>pdf: print background graphics.</summary>
    public bool? PrintBackground { get; init; }

    /// <summary>pdf: page margins (CSS lengths such as "1cm").</summary>
    public PdfMargin? Margin { get; init; }

    /// <summary>pdf: landscape orientation.</summary>
    public bool? Landscape { get; init; }

    /// <summary>pdf: rendering scale, 0.1 to 2.</summary>
    public double? Scale { get; init; }

    /// <summary>pdf: pages to print, e.g. "1-3, 5".</summary>
    public string? PageRanges { get; init; }
}

/// <summary>One step of the single-action form-fill payload.</summary>
public sealed record FormFillStep
{
    /// <summary>fill, type, click, select, check, uncheck, press or hover.</summary>
    public string? Type { get; init; }

    /// <summary>The element (CSS or XPath).</summary>
    public string? Selector { get; init; }

    /// <summary>fill/type/select: the value; press: the key.</summary>
    public string? Value { get; init; }

    /// <summary>fill/type: treat the value as a secret (never logged or listed).</summary>
    public bool? Sensitive { get; init; }
}

/// <summary>One named value of the single-action extract payload.</summary>
public sealed record PayloadExtractor
{
    /// <summary>The name the value is returned under.</summary>
    public string? Name { get; init; }

    /// <summary>The element(s) (CSS or XPath).</summary>
    public string? Selector { get; init; }

    /// <summary>textContent (default), innerText, innerHTML, value, or an attribute name such as href.</summary>
    public string? Attribute { get; init; }

    /// <summary>Return every match as an array.</summary>
    public bool? Multiple { get; init; }
}
