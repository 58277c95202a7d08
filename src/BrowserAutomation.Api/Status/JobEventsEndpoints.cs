using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Status;

/// <summary>
/// Live status over Server-Sent Events. GET /api/v1/jobs/{id}/events sends the job's current status, then every
/// transition in order, and ends after the final one; GET /api/v1/jobs/events streams every job the key may see. Each
/// event carries <c>id: &lt;event id&gt;</c>; a client that reconnects with Last-Event-ID (or ?lastEventId=) gets every
/// transition after it, once and in order, then the live ones (see <see cref="JobEventFeed"/>).
/// </summary>
public static class JobEventsEndpoints
{
    public const string LastEventIdQuery = "lastEventId";

    public static IEndpointRouteBuilder MapJobEventsEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Live status").RequireAuthorization(Policies.Read);
        jobs.MapGet("/{jobId:guid}/events", JobEvents).WithName("JobEvents")
            .WithSummary("Server-Sent Events: the job's status now, then each transition in order; ends when the job finishes. "
                         + "Resume with Last-Event-ID (or ?lastEventId=): every transition after that event id, then live ones.");
        jobs.MapGet("/events", AllEvents).WithName("AllJobEvents")
            .WithSummary("Server-Sent Events: every transition of the key's jobs (every owner's for an admin key) from now on, "
                         + "or after Last-Event-ID (or ?lastEventId=) when resuming.");
        app.MapJobEventsSockets();
        return app;
    }

    public static async Task<Results<ServerSentEventsResult<JobStatusEvent>, ProblemHttpResult>> JobEvents(
        Guid jobId, AutomationDbContext db, JobStatusHub hub, HttpContext http, [FromQuery] string? lastEventId, CancellationToken cancellationToken)
    {
        if (!TryResumePosition(http, lastEventId, out var resumeAfter, out var problem))
        {
            return problem;
        }

        // Subscribe before reading anything, so no notification falls between the read and the wait.
        var subscription = hub.Subscribe(jobId);
        var caller = http.User.GetCaller();
        var job = await db.Jobs.AsNoTracking().VisibleTo(caller).SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null)
        {
            subscription.Dispose();
            return JobProblems.NotFound(jobId);
        }

        NoBuffering(http);
        var events = JobEventFeed.ReadAsync(new JobEventFeed.Scope(jobId, caller, "sse"), job, resumeAfter, db, subscription, cancellationToken);
        return TypedResults.ServerSentEvents(Items(events, subscription, cancellationToken));
    }

    public static Results<ServerSentEventsResult<JobStatusEvent>, ProblemHttpResult> AllEvents(
        JobStatusHub hub, AutomationDbContext db, HttpContext http, [FromQuery] string? lastEventId, CancellationToken cancellationToken)
    {
        if (!TryResumePosition(http, lastEventId, out var resumeAfter, out var problem))
        {
            return problem;
        }

        NoBuffering(http);
        var subscription = hub.Subscribe(null);
        var events = JobEventFeed.ReadAsync(new JobEventFeed.Scope(null, http.User.GetCaller(), "sse"), null, resumeAfter, db, subscription,
            cancellationToken);
        return TypedResults.ServerSentEvents(Items(events, subscription, cancellationToken));
    }

    /// <summary>The Last-Event-ID header wins over the lastEventId query value (browsers' EventSource sends the header on reconnect).</summary>
    private static bool TryResumePosition(HttpContext http, string? query, out long? resumeAfter, out ProblemHttpResult problem)
    {
        var text = http.Request.Headers["Last-Event-ID"] is [{ Length: > 0 } header] ? header : query;
        problem = null!;
        if (JobEventFeed.TryParseLastEventId(text, out resumeAfter))
        {
            return true;
        }

        problem = TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid resume position",
            detail: "Last-Event-ID / lastEventId must be an event id from this stream (a whole number of 0 or more).");
        return false;
    }

    private static void NoBuffering(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
    }

    private static async IAsyncEnumerable<SseItem<JobStatusEvent>> Items(IAsyncEnumerable<JobStatusEvent> events, JobStatusHub.Subscription subscription,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = subscription;
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            yield return new SseItem<JobStatusEvent>(e, "status") { EventId = e.EventId.ToString(CultureInfo.InvariantCulture) };
        }
    }
}
