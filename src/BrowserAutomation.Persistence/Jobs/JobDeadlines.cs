using BrowserAutomation.Contracts;
using MassTransit;

namespace BrowserAutomation.Persistence.Jobs;

/// <summary>
/// A job's deadlines: <c>startBy</c> (an attempt must have begun on a worker by then) and <c>expiresAt</c> (the caller
/// no longer wants the result; a job still pending then ends expired, a running attempt may finish). Each is a
/// <see cref="JobDeadlineReached"/> delayed through the outbox, like retries and the attempt watchdog; a worker
/// receiving an attempt after its <see cref="JobRequested.NotAfter"/> acknowledges it without a browser.
/// </summary>
public static class JobDeadlines
{
    /// <summary>The furthest ahead a deadline may be (the outbox keeps the delayed row until then).</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(7);

    /// <summary>When the job's current attempt may no longer start: startBy for a job never started, else expiresAt.</summary>
    public static DateTime? NotAfter(AutomationJob job)
    {
        var startBy = job.StartedAt is null ? job.StartBy : null;
        return (startBy, job.ExpiresAt) switch
        {
            ({ } s, { } e) => s < e ? s : e,
            ({ } s, null) => s,
            (null, var e) => e,
        };
    }

    /// <summary>Queues one delayed <see cref="JobDeadlineReached"/> per deadline the job has, in the caller's transaction.</summary>
    public static async Task ScheduleAsync(IPublishEndpoint publish, AutomationJob job, CancellationToken cancellationToken)
    {
        foreach (var (name, at) in new[] { (JobDeadlineReached.StartBy, job.StartBy), (JobDeadlineReached.ExpiresAt, job.ExpiresAt) })
        {
            if (at is not { } due)
            {
                continue;
            }

            var delay = due - DateTime.UtcNow;
            await publish.Publish(new JobDeadlineReached { JobId = job.Id, Deadline = name, At = due },
                send => send.Delay = delay > TimeSpan.Zero ? delay : TimeSpan.Zero, cancellationToken);
        }
    }

    /// <summary>Whether a deadline message ends this (pending) job: startBy only while no attempt has begun.</summary>
    public static bool Ends(AutomationJob job, JobDeadlineReached deadline) => deadline.Deadline switch
    {
        JobDeadlineReached.StartBy => job.StartedAt is null && job.StartBy is not null,
        JobDeadlineReached.ExpiresAt => job.ExpiresAt is not null,
        _ => false,
    };

    /// <summary>Whether a retry delayed by <paramref name="delay"/> would be due only after the job's expiresAt.</summary>
    public static bool RetryTooLate(AutomationJob job, TimeSpan delay) => job.ExpiresAt is { } expires && DateTime.UtcNow + delay >= expires;

    /// <summary>The job's error message when it expires.</summary>
    public static string Describe(AutomationJob job, string deadline) => deadline == JobDeadlineReached.StartBy
        ? $"Not started by its startBy ({job.StartBy:O}); no browser was used"
        : $"Still waiting for a worker at its expiresAt ({job.ExpiresAt:O}); no browser was used";
}
