using BrowserAutomation.Persistence.Entities;
using MassTransit;

namespace BrowserAutomation.Persistence.Jobs;

/// <summary>
/// A job (table automation_jobs). The row is also the state of <c>JobStateMachine</c>:
/// <see cref="CorrelationId"/> is the job id and <see cref="CurrentState"/> is the status column.
/// </summary>
public sealed class AutomationJob : SagaStateMachineInstance
{
    public Guid Id { get; set; }

    /// <summary>MassTransit's view of the id; the state machine correlates on it.</summary>
    public Guid CorrelationId
    {
        get => Id;
        set => Id = value;
    }

    /// <summary>The tenant the job belongs to: the submitting key's owner, or the bus command's (default "bus").</summary>
    public string Owner { get; set; } = DefaultOwner;

    /// <summary>The owner of rows created before jobs had one, and of every job when authentication is disabled.</summary>
    public const string DefaultOwner = "default";

    public int BrowserTypeId { get; set; }

    /// <summary>chromium, firefox or webkit (from the browser type at submission): the routing key of every attempt.</summary>
    public string Engine { get; set; } = "chromium";

    public BrowserType? BrowserType { get; set; }

    public required string TargetUrl { get; set; }

    /// <summary>The single-action form's name (screenshot, visit, ...), or "actions" for an action list.</summary>
    public string ActionType { get; set; } = "actions";

    /// <summary>The action list as a JSON array (jsonb, checked to be an array).</summary>
    public required string Actions { get; set; }

    /// <summary>Job-level browser options as a JSON object (viewport, userAgent ...), jsonb.</summary>
    public string? Options { get; set; }

    public string WaitUntil { get; set; } = "load";

    /// <summary>
    /// The state machine's state name (Pending, Processing ...), stored as its wire status in the status column. Only
    /// <see cref="JobTransitions"/> changes it once the job exists.
    /// </summary>
    public string CurrentState { get; set; } = JobStates.Pending;

    /// <summary>The wire status (pending, processing ...) of <see cref="CurrentState"/>.</summary>
    public string Status => JobStates.ToStatus(CurrentState);

    public int Priority { get; set; }

    public int RetryCount { get; set; }

    public int MaxRetries { get; set; } = 3;

    public int TimeoutMs { get; set; } = 30000;

    /// <summary>The attempt currently expected to report; events of other attempts are ignored.</summary>
    public int Attempt { get; set; } = 1;

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public string? ErrorType { get; set; }

    public string? ErrorMessage { get; set; }

    /// <summary>The serialized <c>JobResult</c> (jsonb).</summary>
    public string? Result { get; set; }

    /// <summary>Counts status transitions; lets live streams order events.</summary>
    public int StatusVersion { get; set; }

    /// <summary>The bus client's reference, echoed in every event about the job.</summary>
    public string? ClientReference { get; set; }

    /// <summary>Client-supplied key: the same key and body return the same job.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>SHA-256 of the submitted body, to tell a repeated key with another body.</summary>
    public string? RequestHash { get; set; }

    /// <summary>
    /// W3C traceparent of the span that created the job (the POST's server span, or the SubmitJob consume): the root of
    /// the job's trace, which transitions caused from outside it (a cancellation) join.
    /// </summary>
    public string? TraceParent { get; set; }

    /// <summary>The job's trace id, 32 hex characters (GET /api/v1/jobs/{id} traceId).</summary>
    public string? TraceId { get; set; }

    /// <summary>
    /// SHA-256 of the owner and the normalised job (what affects the result), for the result cache; secret values count
    /// only through this hash.
    /// </summary>
    public string? ResultKey { get; set; }

    /// <summary>Whether a webhook was registered with the job (then its transitions look up the webhook; otherwise they skip that read).</summary>
    public bool HasWebhook { get; set; }

    /// <summary>Set on a job answered from the result cache: the completed job whose result and artifacts it shares.</summary>
    public Guid? CachedFromJobId { get; set; }

    /// <summary>The attempt watchdog's schedule token (MassTransit Schedule).</summary>
    public Guid? AttemptTimeoutTokenId { get; set; }

    /// <summary>The job must have started (an attempt begun on a worker) by this UTC time, or it ends expired.</summary>
    public DateTime? StartBy { get; set; }

    /// <summary>After this UTC time the caller no longer wants the result: a job still pending then ends expired.</summary>
    public DateTime? ExpiresAt { get; set; }
}
