using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using BrowserAutomation.Persistence.Messaging;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Worker.Jobs;

/// <summary>
/// Attempts that reach a worker after the job's deadline (startBy / expiresAt): acknowledged without a browser, and
/// reported once so the job ends expired, whichever of this report and the state machine's own deadline comes first.
/// </summary>
public static class LateDeliveries
{
    /// <summary>Acknowledges an attempt received after its deadline and reports it once, in one transaction.</summary>
    public static async Task AcknowledgeAsync(AutomationDbContext db, DbContextOutbox outbox, ILogger logger, JobRequested job, Guid messageId,
        DateTime notAfter, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await Inbox.ReceiveAsync(db, messageId, JobRequestedConsumer.ConsumerId, cancellationToken))
        {
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        var current = await db.Jobs.Where(j => j.Id == job.JobId).Select(j => new { j.CurrentState, j.Attempt, j.ActionType })
            .SingleOrDefaultAsync(cancellationToken);
        // Already ended (the state machine's own deadline message may have come first): nothing to report.
        var report = current is not null && current.Attempt == job.Attempt && JobStates.IsActive(current.CurrentState);
        if (report)
        {
            var now = DateTime.UtcNow;
            await outbox.PublishEndpoint.Publish(new JobAttemptFailed
            {
                JobId = job.JobId, Attempt = job.Attempt, FailedAt = now, ErrorType = JobErrorTypes.DeadlineExpired,
                ErrorMessage = $"Attempt {job.Attempt} reached a worker at {now:O}, after its deadline {notAfter:O}; no browser was used",
            }, cancellationToken);
            db.JobLogs.Add(new JobLog
            {
                JobId = job.JobId, Level = "warn", CreatedAt = now,
                Message = $"Attempt {job.Attempt} received after its deadline ({notAfter:O}); acknowledged without a browser",
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        await Inbox.MarkConsumedAsync(db, messageId, JobRequestedConsumer.ConsumerId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (report)
        {
            AutomationMetrics.AttemptFinished(job.Engine, current!.ActionType, JobStatuses.Expired, JobErrorTypes.DeadlineExpired, null);
        }

        // A warning: jobs outliving their deadline in the queue mean too few workers for the callers' patience.
        logger.LogWarning("Job {JobId} attempt {Attempt} arrived after its deadline {NotAfter:O}; acknowledged without a browser", job.JobId,
            job.Attempt, notAfter);
    }
}
