using System.Data;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Entities;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Jobs;

/// <summary>The outcome of a cancellation request.</summary>
public enum CancelOutcome
{
    Cancelled,
    AlreadyFinished,
    NotFound,
}

/// <summary>
/// Cancels a pending or processing job. This is the one transition the API makes itself: it takes the same row lock
/// the job state machine takes (SELECT ... FOR UPDATE), so the two never interleave, and it can answer with the real
/// resulting state. Later attempt events find the job cancelled and are ignored; a worker running it aborts its page.
/// </summary>
public sealed class JobCancellation(AutomationDbContext db)
{
    /// <summary>Cancels the job if the caller may see it; another owner's job is <see cref="CancelOutcome.NotFound"/>, like an unknown id.</summary>
    public async Task<(CancelOutcome Outcome, AutomationJob? Job)> CancelAsync(Guid jobId, Caller caller, IPublishEndpoint publish,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var owner = caller.SeesAllOwners ? null : caller.Owner;
        var job = await db.Jobs.FromSql($"SELECT * FROM automation_jobs WHERE id = {jobId} AND ({owner}::text IS NULL OR owner = {owner}) FOR UPDATE")
            .AsTracking().SingleOrDefaultAsync(cancellationToken);
        if (job is null)
            return (CancelOutcome.NotFound, null);

        if (job.CurrentState is not ("Pending" or "Processing"))
            return (CancelOutcome.AlreadyFinished, job);

        var previous = job.CurrentState.ToLowerInvariant();
        var now = DateTime.UtcNow;
        job.CurrentState = "Cancelled";
        job.CompletedAt = now;
        job.StatusVersion++;
        db.JobLogs.Add(new JobLog { JobId = job.Id, Level = "warn", Message = $"Job cancelled while {previous}", CreatedAt = now });

        await publish.Publish(new JobStatusChanged
        {
            JobId = job.Id, PreviousStatus = previous, Status = JobStatuses.Cancelled, ChangedAt = now, Version = job.StatusVersion,
            Attempt = job.Attempt, ClientReference = job.ClientReference,
        }, cancellationToken);
        await publish.Publish(new JobCancelled { JobId = job.Id, ClientReference = job.ClientReference, CancelledAt = now, PreviousStatus = previous },
            cancellationToken);
        if (previous == JobStatuses.Processing)
            await publish.Publish(new JobCancellationRequested { JobId = job.Id }, cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (CancelOutcome.Cancelled, job);
    }
}
