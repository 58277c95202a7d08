using System.Data;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence.Entities;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Persistence.Jobs;

/// <summary>
/// Cancels a pending or processing job. This is the one transition the API makes itself: it takes the same row lock
/// the job state machine takes (SELECT ... FOR UPDATE), so the two never interleave, and it can answer with the real
/// resulting state. Later attempt events find the job cancelled and are ignored; a worker running it aborts its page.
/// </summary>
public sealed class JobCancellation(AutomationDbContext db)
{
    /// <summary>
    /// Cancels the job if it belongs to <paramref name="owner"/> (null: any owner); another owner's job is
    /// <see cref="CancelOutcome.NotFound"/>, like an unknown id.
    /// </summary>
    public async Task<(CancelOutcome Outcome, AutomationJob? Job)> CancelAsync(Guid jobId, string? owner, IPublishEndpoint publish,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var job = await db.Jobs.FromSql($"SELECT * FROM automation_jobs WHERE id = {jobId} AND ({owner}::text IS NULL OR owner = {owner}) FOR UPDATE")
            .AsTracking().SingleOrDefaultAsync(cancellationToken);
        if (job is null)
        {
            return (CancelOutcome.NotFound, null);
        }

        if (!JobStates.IsActive(job.CurrentState))
        {
            return (CancelOutcome.AlreadyFinished, job);
        }

        var previous = job.Status;
        var now = DateTime.UtcNow;
        job.CompletedAt = now;
        db.JobLogs.Add(new JobLog { JobId = job.Id, Level = "warn", Message = $"Job cancelled while {previous}", CreatedAt = now });

        await JobTransitions.MoveAsync(job, JobStates.Cancelled, publish, now, cancellationToken, db);
        await publish.Publish(new JobCancelled { JobId = job.Id, ClientReference = job.ClientReference, CancelledAt = now, PreviousStatus = previous },
            cancellationToken);
        if (previous == JobStatuses.Processing)
        {
            await publish.Publish(new JobCancellationRequested { JobId = job.Id }, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (CancelOutcome.Cancelled, job);
    }
}
