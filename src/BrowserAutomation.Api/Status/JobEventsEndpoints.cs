using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Status;

/// <summary>
/// Live status over Server-Sent Events. GET /api/v1/jobs/{id}/events sends the job's current status, then every
/// transition in order (by version), and ends after the final one. GET /api/v1/jobs/events streams all jobs.
/// </summary>
public static class JobEventsEndpoints
{
    private static readonly TimeSpan GapWait = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapJobEventsEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Live status").RequireAuthorization(Policies.Read);
        jobs.MapGet("/{jobId:guid}/events", JobEvents).WithName("JobEvents")
            .WithSummary("Server-Sent Events: the job's status now, then each transition in order; ends when the job finishes.");
        jobs.MapGet("/events", AllEvents).WithName("AllJobEvents").WithSummary("Server-Sent Events: every job's transitions.");
        return app;
    }

    public static async Task<Results<ServerSentEventsResult<JobStatusEvent>, ProblemHttpResult>> JobEvents(
        Guid jobId, AutomationDbContext db, JobStatusHub hub, HttpContext http, CancellationToken cancellationToken)
    {
        // Subscribe before reading the current state, so no transition falls between the two.
        var subscription = hub.Subscribe(jobId);
        var job = await db.Jobs.AsNoTracking().VisibleTo(http.User.GetCaller()).SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null)
        {
            subscription.Dispose();
            return JobProblems.NotFound(jobId);
        }

        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var current = new JobStatusEvent(job.Id, job.Status, null, job.StatusVersion, job.Attempt, DateTime.UtcNow);
        return TypedResults.ServerSentEvents(Stream(current, subscription, db, cancellationToken));
    }

    public static ServerSentEventsResult<JobStatusEvent> AllEvents(JobStatusHub hub, AutomationDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(All(hub.Subscribe(null), db, http.User.GetCaller(), cancellationToken));
    }

    /// <summary>Every transition an admin key may see; for other keys only their owner's jobs (each job's owner is looked up once).</summary>
    private static async IAsyncEnumerable<SseItem<JobStatusEvent>> All(JobStatusHub.Subscription subscription, AutomationDbContext db, Caller caller,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = subscription;
        var visible = new Dictionary<Guid, bool>();
        await foreach (var change in subscription.Reader.ReadAllAsync(cancellationToken))
        {
            if (!caller.SeesAllOwners)
            {
                if (!visible.TryGetValue(change.JobId, out var mine))
                {
                    if (visible.Count > 10_000)
                    {
                        visible.Clear();
                    }

                    visible[change.JobId] = mine = await db.Jobs.VisibleTo(caller).AnyAsync(j => j.Id == change.JobId, cancellationToken);
                }

                if (!mine)
                {
                    continue;
                }
            }

            yield return Item(JobStatusEvent.From(change));
        }
    }

    private static async IAsyncEnumerable<SseItem<JobStatusEvent>> Stream(JobStatusEvent current, JobStatusHub.Subscription subscription,
        AutomationDbContext db, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = subscription;
        yield return Item(current);
        if (JobStates.IsFinalStatus(current.Status))
        {
            yield break;
        }

        var version = current.Version;
        var pending = new SortedDictionary<int, JobStatusChanged>();
        while (!cancellationToken.IsCancellationRequested)
        {
            // Events can arrive out of order (several dispatchers): emit them by version, waiting briefly for gaps.
            using var gap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (pending.Count > 0)
            {
                gap.CancelAfter(GapWait);
            }

            JobStatusChanged? change = null;
            try
            {
                if (await subscription.Reader.WaitToReadAsync(gap.Token))
                {
                    subscription.Reader.TryRead(out change);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A gap did not fill in time: skip it (the missing event was lost to a dropped connection).
                version = pending.Keys.First() - 1;
            }

            if (change is not null && change.Version > version)
            {
                pending[change.Version] = change;
            }

            while (pending.Count > 0 && pending.Keys.First() == version + 1)
            {
                var next = pending[version + 1];
                pending.Remove(version + 1);
                version++;
                yield return Item(JobStatusEvent.From(next));
                if (JobStates.IsFinalStatus(next.Status))
                {
                    yield break;
                }
            }
        }
    }

    private static SseItem<JobStatusEvent> Item(JobStatusEvent e) => new(e, "status") { EventId = e.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

/// <summary>One status event on a live stream.</summary>
public sealed record JobStatusEvent(Guid JobId, string Status, string? PreviousStatus, int Version, int Attempt, DateTime ChangedAt)
{
    public static JobStatusEvent From(JobStatusChanged c) => new(c.JobId, c.Status, c.PreviousStatus, c.Version, c.Attempt, c.ChangedAt);
}
