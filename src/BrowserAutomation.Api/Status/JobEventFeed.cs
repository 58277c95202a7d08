using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Status;

/// <summary>
/// What the live streams (Server-Sent Events and WebSocket) send: status events read from job_events in id order.
/// Replay and live delivery are the same loop, reading "id &gt; cursor": a bus notification (or, should one be lost,
/// the fallback poll) only says when to read again, so nothing is sent twice at the seam and nothing is skipped.
/// </summary>
public static class JobEventFeed
{
    private const int PageSize = 500;

    /// <summary>How long a stream waits without a notification before reading anyway (a lost notification costs this much delay).</summary>
    private static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(10);

    private static readonly Counter<long> Opened = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.live_streams.opened", "{stream}", "Live status streams opened (transport: sse or websocket; scope: job or all; resumed).");

    private static readonly UpDownCounter<long> Open = AutomationTelemetry.Meter.CreateUpDownCounter<long>(
        "browser_automation.live_streams.active", "{stream}", "Live status streams open on this API process.");

    private static readonly Counter<long> Sent = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.live_streams.events", "{event}", "Status events sent on live streams (replayed: read from before the stream opened).");

    /// <summary>Where a stream starts: one job (already checked visible to the caller) or every job the caller may see.</summary>
    public sealed record Scope(Guid? JobId, Caller Caller, string Transport);

    /// <summary>
    /// A stream's events. One job: without <paramref name="lastEventId"/> the job's status now, then each later
    /// transition, ending after the final one; with it, every transition after that id. All jobs: every transition the
    /// caller may see after <paramref name="lastEventId"/>, or from now on. Runs until the client goes or the token ends.
    /// </summary>
    public static async IAsyncEnumerable<JobStatusEvent> ReadAsync(Scope scope, AutomationJob? job, long? lastEventId, AutomationDbContext db,
        JobStatusHub.Subscription subscription, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tags = new TagList { { "transport", scope.Transport }, { "scope", scope.JobId is null ? "all" : "job" }, { "resumed", lastEventId is not null } };
        Opened.Add(1, tags);
        var openedAt = DateTime.UtcNow;
        Open.Add(1, new KeyValuePair<string, object?>("transport", scope.Transport));
        try
        {
            var events = Events(scope, db);
            long cursor;
            var shownVersion = 0;
            if (lastEventId is { } resumeAfter)
            {
                cursor = resumeAfter;
            }
            else if (job is not null)
            {
                // The job's status now, under the id of the transition that made it (0 before the first one).
                cursor = await events.Where(e => e.Version <= job.StatusVersion).MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
                shownVersion = job.StatusVersion;
                yield return new JobStatusEvent(job.Id, job.Status, null, job.StatusVersion, job.Attempt, DateTime.UtcNow, cursor);
                if (JobStates.IsFinalStatus(job.Status))
                {
                    yield break;
                }
            }
            else
            {
                cursor = await db.JobEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
            }

            // A job that was final when the stream opened has all its events committed: one read finds them all.
            var endAfterRead = job is not null && JobStates.IsFinalStatus(job.Status);
            while (true)
            {
                while (subscription.Reader.TryRead(out _))
                {
                }

                var batch = await events.Where(e => e.Id > cursor && e.Version > shownVersion).OrderBy(e => e.Id).Take(PageSize)
                    .ToListAsync(cancellationToken);
                foreach (var e in batch)
                {
                    cursor = e.Id;
                    Sent.Add(1, new KeyValuePair<string, object?>("replayed", e.ChangedAt < openedAt));
                    yield return new JobStatusEvent(e.JobId, e.Status, e.PreviousStatus, e.Version, e.Attempt, e.ChangedAt, e.Id);
                    if (job is not null && JobStates.IsFinalStatus(e.Status))
                    {
                        yield break;
                    }
                }

                if (batch.Count == PageSize)
                {
                    continue;
                }

                if (endAfterRead)
                {
                    yield break;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(FallbackPoll);
                try
                {
                    await subscription.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // No notification for a while: read anyway.
                }
            }
        }
        finally
        {
            Open.Add(-1, new KeyValuePair<string, object?>("transport", scope.Transport));
        }
    }

    /// <summary>The rows a stream may read: one job's, or those of the caller's owner (every owner's for an admin key).</summary>
    private static IQueryable<JobEvent> Events(Scope scope, AutomationDbContext db)
    {
        var events = db.JobEvents.AsNoTracking();
        if (scope.JobId is { } jobId)
        {
            return events.Where(e => e.JobId == jobId);
        }

        return scope.Caller.SeesAllOwners ? events : events.Where(e => e.Owner == scope.Caller.Owner);
    }

    /// <summary>Reads a resume position (Last-Event-ID header or lastEventId query value): a non-negative event id, or null when absent.</summary>
    public static bool TryParseLastEventId(string? text, out long? lastEventId)
    {
        lastEventId = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (long.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            lastEventId = id;
            return true;
        }

        return false;
    }
}
