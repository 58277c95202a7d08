using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting.Observability;
using MassTransit;

namespace BrowserAutomation.Persistence.Jobs;

/// <summary>
/// The only writer of a job's status: the state machine's transitions and the API's cancellation both move the job
/// here, in the transaction that holds its row lock, so every change counts one version and is announced once.
/// </summary>
public static class JobTransitions
{
    /// <summary>
    /// Moves the job to <paramref name="state"/>, records it in job_events (when <paramref name="db"/> is given: the
    /// transaction's context; the in-memory test harness has none) and publishes <see cref="JobStatusChanged"/>; the
    /// version orders the announcements.
    /// </summary>
    public static async Task MoveAsync(AutomationJob job, string state, IPublishEndpoint publish, DateTime changedAt, CancellationToken cancellationToken,
        AutomationDbContext? db = null)
    {
        var previous = job.Status;
        using var span = AutomationSpans.StartTransition(job.Id, job.Attempt, previous, JobStates.ToStatus(state), job.TraceParent);
        // No state declares enter or leave behaviour, so setting the name is the whole of a state machine transition.
        job.CurrentState = state;
        job.StatusVersion++;
        db?.JobEvents.Add(new JobEvent
        {
            JobId = job.Id, Owner = job.Owner, Status = job.Status, PreviousStatus = previous, Version = job.StatusVersion, Attempt = job.Attempt,
            ChangedAt = changedAt,
        });
        await publish.Publish(new JobStatusChanged
        {
            JobId = job.Id,
            PreviousStatus = previous,
            Status = job.Status,
            ChangedAt = changedAt,
            Version = job.StatusVersion,
            Attempt = job.Attempt,
            ClientReference = job.ClientReference,
        }, cancellationToken);
    }
}
