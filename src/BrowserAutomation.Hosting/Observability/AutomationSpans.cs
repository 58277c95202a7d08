using System.Diagnostics;
using System.Globalization;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// The spans of a job's trace that the service itself starts (on <see cref="AutomationTelemetry.ActivitySource"/>),
/// with their names and tags in one place. Every method returns null when nothing listens, and sets tags only when
/// the span is recorded, so an unexported trace costs little more than its ids. No tag ever holds a secret: steps
/// carry their action and target, never a value.
/// </summary>
public static class AutomationSpans
{
    public const string Attempt = "job attempt";
    public const string Navigate = "job navigate";
    public const string StepPrefix = "job step ";
    public const string Transition = "job transition";
    public const string ArtifactStorage = "job artifacts store";
    public const string OutboxDispatch = "outbox dispatch";

    public const string JobIdTag = "job.id";
    public const string AttemptTag = "job.attempt";
    public const string EngineTag = "job.engine";
    public const string StepIndexTag = "job.step.index";
    public const string ActionTag = "job.step.action";
    public const string TargetTag = "job.step.target";
    public const string TargetByTag = "job.step.target_by";
    public const string UrlTag = "job.step.url";
    public const string OutcomeTag = "job.outcome";
    public const string ErrorTypeTag = "error.type";
    public const string FromStatusTag = "job.status.from";
    public const string ToStatusTag = "job.status.to";

    private static ActivitySource Source => AutomationTelemetry.ActivitySource;

    /// <summary>The W3C traceparent of the current span (00-traceid-spanid-flags), or null outside any.</summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>The current trace id as 32 lowercase hex characters, or null outside any span.</summary>
    public static string? CurrentTraceId() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.TraceId.ToHexString() : null;

    /// <summary>One execution of a job by a worker, child of the message's consume span.</summary>
    public static Activity? StartAttempt(Guid jobId, int attempt, string engine)
    {
        var span = Source.StartActivity(Attempt, ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(JobIdTag, jobId.ToString());
            span.SetTag(AttemptTag, attempt);
            span.SetTag(EngineTag, engine);
        }

        return span;
    }

    /// <summary>The job's first navigation (its target URL), before the steps.</summary>
    public static Activity? StartNavigate(string url)
    {
        var span = Source.StartActivity(Navigate, ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(UrlTag, WithoutQuery(url));
        }

        return span;
    }

    /// <summary>One step of the attempt: its action and what it acts on (selector, text, label ... or a goto's URL without its query).</summary>
    public static Activity? StartStep(int index, string action, string? target, string? targetBy, string? url)
    {
        var span = Source.StartActivity(StepPrefix + action, ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(StepIndexTag, index);
            span.SetTag(ActionTag, action);
            span.SetTag(TargetTag, target);
            span.SetTag(TargetByTag, targetBy);
            if (url is not null)
            {
                span.SetTag(UrlTag, WithoutQuery(url));
            }
        }

        return span;
    }

    /// <summary>Records how a span's work ended: completed, or failed with the job's error type (timeout, selector_not_found ...).</summary>
    public static void SetOutcome(Activity? span, string? errorType, string? outcome = null)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag(OutcomeTag, outcome ?? (errorType is null ? "completed" : "failed"));
        if (errorType is not null)
        {
            span.SetTag(ErrorTypeTag, errorType);
            span.SetStatus(ActivityStatusCode.Error, errorType);
        }
    }

    /// <summary>
    /// A saga transition (from → to status). It joins the job's own trace (<paramref name="jobTraceParent"/>) when the
    /// cause is outside it (a DELETE request, a client's bus message), linking the cause, so the job's trace holds
    /// every transition.
    /// </summary>
    public static Activity? StartTransition(Guid jobId, int attempt, string from, string to, string? jobTraceParent)
    {
        var current = Activity.Current;
        ActivityContext parent = default;
        ActivityLink[]? links = null;
        if (jobTraceParent is not null && ActivityContext.TryParse(jobTraceParent, null, isRemote: true, out var job)
            && (current is null || current.TraceId != job.TraceId))
        {
            parent = job;
            links = current is null ? null : [new ActivityLink(current.Context)];
        }

        var span = Source.StartActivity(Transition, ActivityKind.Internal, parent, links: links);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(JobIdTag, jobId.ToString());
            span.SetTag(AttemptTag, attempt);
            span.SetTag(FromStatusTag, from);
            span.SetTag(ToStatusTag, to);
        }

        return span;
    }

    /// <summary>The write that stores an attempt's artifacts (screenshots, PDFs) with its outcome; null when there are none.</summary>
    public static Activity? StartArtifactStorage(int count, long bytes)
    {
        if (count == 0)
        {
            return null;
        }

        var span = Source.StartActivity(ArtifactStorage, ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("job.artifacts.count", count);
            span.SetTag("job.artifacts.bytes", bytes);
        }

        return span;
    }

    /// <summary>
    /// Sending one outbox row, as a child of the span that wrote the row (its stored traceparent), so that MassTransit's
    /// send span and the message headers continue the writer's trace. Null for a row written outside any trace.
    /// </summary>
    public static Activity? StartOutboxDispatch(string? traceParent, string? traceState, Guid messageId, string messageType, int attempts)
    {
        if (traceParent is null || !ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent))
        {
            return null;
        }

        var span = Source.StartActivity(OutboxDispatch, ActivityKind.Internal, parent);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("messaging.message.id", messageId.ToString());
            span.SetTag("messaging.masstransit.message_types", messageType);
            span.SetTag("outbox.attempts", attempts.ToString(CultureInfo.InvariantCulture));
        }

        return span;
    }

    // Credentials, query and fragment may hold secrets (tokens, passwords): only scheme, host, port and path are kept.
    private static string WithoutQuery(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? string.Create(CultureInfo.InvariantCulture, $"{uri.Scheme}://{uri.Host}{(uri.IsDefaultPort ? string.Empty : ":" + uri.Port)}{uri.AbsolutePath}")
            : "(not a URL)";
}
