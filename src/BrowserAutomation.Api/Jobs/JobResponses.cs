using System.Text.Json;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Jobs;

/// <summary>202 body of POST /api/v1/jobs (200 for an idempotent replay or a result-cache answer).</summary>
public sealed record JobAcceptedResponse(Guid JobId, string Status, DateTime CreatedAt)
{
    /// <summary>The job was answered from the result cache and is already completed.</summary>
    public bool Cached { get; init; }

    /// <summary>For a cached job: the earlier job whose result and artifacts it shares.</summary>
    public Guid? CachedFrom { get; init; }

    public static JobAcceptedResponse For(Persistence.Jobs.AutomationJob job, string status) =>
        new(job.Id, status, job.CreatedAt) { Cached = job.CachedFromJobId is not null, CachedFrom = job.CachedFromJobId };
}

/// <summary>GET /api/v1/jobs/{jobId} as the design shapes it, with the full result.</summary>
public sealed record JobResponse
{
    public required Guid Id { get; init; }

    /// <summary>The tenant the job belongs to (the submitting key's owner; "bus" or the command's owner for bus submissions).</summary>
    public required string Owner { get; init; }

    public required string Status { get; init; }

    public required string ActionType { get; init; }

    public required int BrowserTypeId { get; init; }

    public required string TargetUrl { get; init; }

    public int Priority { get; init; }

    public int RetryCount { get; init; }

    public int MaxRetries { get; init; }

    public int TimeoutMs { get; init; }

    public int Attempt { get; init; }

    public string? ClientReference { get; init; }

    public string WaitUntil { get; init; } = "load";

    /// <summary>The steps, with form values redacted.</summary>
    public IReadOnlyList<JobAction> Actions { get; init; } = [];

    /// <summary>Viewport, user agent and context options, with secrets redacted.</summary>
    public Persistence.Jobs.StoredJobOptions? Options { get; init; }

    public JobResultResponse? Result { get; init; }

    /// <summary>The last execution error, in the job-execution error format.</summary>
    public JobExecutionError? Error { get; init; }

    public required DateTime CreatedAt { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? CompletedAt { get; init; }

    /// <summary>
    /// The OpenTelemetry trace id (32 hex characters) of the job: its POST, the dispatch, every attempt with its steps
    /// and every status change share it; null for jobs created before tracing.
    /// </summary>
    public string? TraceId { get; init; }
    /// <summary>The job was answered from the result cache: no browser ran it; result and artifacts are those of <see cref="CachedFrom"/>.</summary>
    public bool Cached { get; init; }

    /// <summary>For a cached job: the earlier job whose result and artifacts it shares.</summary>
    public Guid? CachedFrom { get; init; }

    /// <summary>
    /// While pending: the job's place among the pending jobs of its engine, 1-based, in the order workers take them
    /// (priority, then submission time). Absent once a worker has it or it has finished.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? QueuePosition { get; init; }

    /// <summary>The job's startBy: it ends expired if no attempt has begun by then. Absent when not set.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? StartBy { get; init; }

    /// <summary>The job's expiresAt: it ends expired if still pending then. Absent when not set.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? ExpiresAt { get; init; }
}

/// <summary>The result: the design's screenshotUrl and duration, plus everything the job produced.</summary>
public sealed record JobResultResponse
{
    public string? ScreenshotUrl { get; init; }

    public string? PdfUrl { get; init; }

    /// <summary>Execution time in milliseconds.</summary>
    public long Duration { get; init; }

    public string? FinalUrl { get; init; }

    public int? HttpStatus { get; init; }

    public string? Title { get; init; }

    public IReadOnlyList<StepOutcome> Steps { get; init; } = [];

    public IReadOnlyDictionary<string, JsonElement> Extracted { get; init; } = new Dictionary<string, JsonElement>();

    public IReadOnlyList<ArtifactResponse> Artifacts { get; init; } = [];

    /// <summary>Requests the page made that the URL policy refused (subresources, frames, WebSockets), with the reason.</summary>
    public IReadOnlyList<BlockedRequest> BlockedRequests { get; init; } = [];

    /// <summary>What the page wrote to its console: the first 100 messages, each at most 2,000 characters.</summary>
    public IReadOnlyList<ConsoleEntry> Console { get; init; } = [];

    /// <summary>Errors the page's scripts threw uncaught: the first 100, each at most 2,000 characters.</summary>
    public IReadOnlyList<PageError> PageErrors { get; init; } = [];
}

public sealed record ArtifactResponse(Guid Id, string ArtifactType, string FileName, string MimeType, long SizeBytes, string Url, int? StepIndex);

/// <summary>One page of GET /api/v1/jobs.</summary>
public sealed record JobListResponse(IReadOnlyList<JobSummary> Data, int Page, int Limit, int Total, int TotalPages);

/// <summary>A job in a listing (an admin key lists every owner's jobs, other keys their owner's).</summary>
public sealed record JobSummary(Guid Id, string Owner, string Status, string ActionType, int BrowserTypeId, string TargetUrl, int Priority, int RetryCount,
    string? ErrorType, string? ClientReference, DateTime CreatedAt, DateTime? StartedAt, DateTime? CompletedAt);

/// <summary>GET /api/v1/jobs/{jobId}/logs.</summary>
public sealed record JobLogListResponse(IReadOnlyList<JobLogResponse> Data);

public sealed record JobLogResponse(long Id, string Level, string Message, JsonElement? Metadata, DateTime CreatedAt);

/// <summary>DELETE answer: the job's state after the request.</summary>
public sealed record JobCancelResponse(Guid JobId, string Status, string? PreviousStatus, DateTime? CompletedAt);
