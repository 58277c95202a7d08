using System.Security.Cryptography;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Artifacts;
using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using BrowserAutomation.Persistence.Messaging;
using BrowserAutomation.Persistence.Security;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Worker.Jobs;

/// <summary>
/// Executes one job attempt. The browser work runs outside any transaction: a first transaction records the
/// delivery in the inbox and queues <see cref="JobAttemptStarted"/>; a second stores the artifacts, queues
/// <see cref="JobAttemptCompleted"/> or <see cref="JobAttemptFailed"/> and marks the delivery consumed (the artifacts'
/// bytes are put into the artifact store before it, and deleted again when the outcome is discarded). A redelivery after the second
/// commit is acknowledged without running the browser again; a crash before it re-runs the attempt. A client's
/// cancellation aborts the page; the job is already cancelled, so the attempt just ends.
/// </summary>
public sealed class JobRequestedConsumer(
    AutomationDbContext db,
    DbContextOutbox outbox,
    IJobExecutor executor,
    JobSecrets secrets,
    RunningJobs running,
    ArtifactWriter artifactWriter,
    ILogger<JobRequestedConsumer> logger) : IConsumer<JobRequested>
{
    /// <summary>This consumer's identity in the inbox.</summary>
    internal static readonly Guid ConsumerId = new("5d2f8a4e-1c3b-4f6a-9e7d-0b1a2c3d4e5f");

    // The job's action type (a metrics label), read with its state when the attempt begins.
    private string _actionType = "actions";

    public async Task Consume(ConsumeContext<JobRequested> context)
    {
        var job = context.Message;
        using var logScope = logger.BeginJobScope(job.JobId, job.Attempt, job.Engine);
        var messageId = context.MessageId ?? throw new InvalidOperationException("JobRequested without a message id");
        var cancellationToken = context.CancellationToken;
        // Every failed save here fails the delivery and rolls its transaction back whole, so EF's automatic
        // SAVEPOINT/RELEASE around each save inside a transaction (two round trips) buys nothing.
        db.Database.AutoSavepointsEnabled = false;

        // The caller's deadline passed while the message waited: no browser, no attempt; the job ends expired.
        if (job.NotAfter is { } notAfter && DateTime.UtcNow >= notAfter)
        {
            await LateDeliveries.AcknowledgeAsync(db, outbox, logger, job, messageId, notAfter, cancellationToken);
            return;
        }

        // Started first, so the browser work, the steps and the events the attempt publishes are all its children.
        using var span = AutomationSpans.StartAttempt(job.JobId, job.Attempt, job.Engine);
        var entry = running.Register(job.JobId, job.Engine, cancellationToken);
        // The attempt's context closes once its outcome is recorded (or the delivery ends otherwise), not while the
        // outcome is on its way to the state machine.
        using var afterOutcome = LeaseRelease.Defer();
        try
        {
            // The browser starts while the inbox check and JobAttemptStarted commit, instead of after them; if the
            // delivery turns out to be a duplicate or stale, the execution is abandoned before it produces anything.
            var execution = StartExecution(job, entry.Cancellation.Token);

            bool proceed;
            try
            {
                proceed = await BeginAsync(job, messageId, cancellationToken);
            }
            catch
            {
                await AbandonAsync(entry.Cancellation, execution);
                throw;
            }

            if (!proceed)
            {
                AutomationSpans.SetOutcome(span, null, "skipped");
                await AbandonAsync(entry.Cancellation, execution);
                return;
            }

            logger.LogInformation("Job {JobId} attempt {Attempt} started on {Engine}", job.JobId, job.Attempt, job.Engine);
            JobExecutionOutcome outcome;
            try
            {
                outcome = await execution;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                AutomationSpans.SetOutcome(span, null, "cancelled");
                await AbortedAsync(job, messageId, cancellationToken);
                return;
            }
            catch (OperationCanceledException)
            {
                throw ReturnedToQueue(job, span, cancellationToken);
            }

            // The delivery was cancelled (the drain timed out while the page ran): whatever the page produced meanwhile
            // is not the job's outcome. The message stays unacknowledged and another worker runs the attempt.
            if (cancellationToken.IsCancellationRequested)
            {
                throw ReturnedToQueue(job, span, cancellationToken);
            }

            AutomationSpans.SetOutcome(span, outcome.ErrorType);
            await FinishAsync(job, messageId, outcome, cancellationToken);
        }
        finally
        {
            running.Remove(entry);
        }
    }

    /// <summary>
    /// Runs the attempt with its secrets decrypted; they exist in clear only in this process's memory. A secret this
    /// worker cannot decrypt (a different SECRETS_ENCRYPTION_KEY) fails the attempt permanently without a browser.
    /// </summary>
    private Task<JobExecutionOutcome> StartExecution(JobRequested job, CancellationToken cancellationToken)
    {
        JobRequested clear;
        try
        {
            clear = secrets.Unprotect(job);
        }
        catch (CryptographicException ex)
        {
            logger.LogError("Job {JobId} attempt {Attempt}: {Reason}", job.JobId, job.Attempt, ex.Message);
            var now = DateTime.UtcNow;
            return Task.FromResult(new JobExecutionOutcome
            {
                StartedAt = now, FinishedAt = now, ErrorType = JobErrorTypes.Internal, ErrorMessage = ex.Message,
            });
        }

        return executor.ExecuteAsync(clear, cancellationToken);
    }

    private OperationCanceledException ReturnedToQueue(JobRequested job, System.Diagnostics.Activity? span, CancellationToken delivery)
    {
        AutomationSpans.SetOutcome(span, null, "returned");
        logger.LogWarning("Job {JobId} attempt {Attempt} did not finish within the drain (WORKER_DRAIN_TIMEOUT_MS); returned to the {Engine} queue",
            job.JobId, job.Attempt, job.Engine);
        return new OperationCanceledException("The worker is shutting down; the delivery returns to its queue.", delivery);
    }

    /// <summary>The client cancelled the job while its page ran: record it and end the delivery.</summary>
    private async Task AbortedAsync(JobRequested job, Guid messageId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await Inbox.ReceiveAsync(db, messageId, ConsumerId, cancellationToken))
        {
            db.JobLogs.Add(new JobLog
            {
                JobId = job.JobId, Level = "warn", Message = $"Attempt {job.Attempt} aborted: the job was cancelled", CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync(cancellationToken);
            await Inbox.MarkConsumedAsync(db, messageId, ConsumerId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        AutomationMetrics.AttemptFinished(job.Engine, _actionType, JobStatuses.Cancelled, null, null);
        logger.LogInformation("Job {JobId} attempt {Attempt} aborted after cancellation", job.JobId, job.Attempt);
    }

    private static async Task AbandonAsync(CancellationTokenSource abandon, Task<JobExecutionOutcome> execution)
    {
        await abandon.CancelAsync();
        try
        {
            await execution;
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Returns false when this delivery was already handled or the job no longer expects this attempt.</summary>
    private async Task<bool> BeginAsync(JobRequested job, Guid messageId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (consumed, current) = await JobDelivery.ReceiveAsync(db, messageId, ConsumerId, job.JobId, lockJob: false, cancellationToken);
        if (consumed)
        {
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Job {JobId} attempt {Attempt} was already executed; acknowledging the redelivery", job.JobId, job.Attempt);
            return false;
        }

        if (current is null || current.Attempt != job.Attempt || !JobStates.IsActive(current.State))
        {
            await Inbox.MarkConsumedAsync(db, messageId, ConsumerId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Job {JobId} attempt {Attempt} is no longer expected ({State}); skipping", job.JobId, job.Attempt,
                current?.State ?? "missing");
            return false;
        }

        await outbox.PublishEndpoint.Publish(new JobAttemptStarted { JobId = job.JobId, Attempt = job.Attempt, StartedAt = DateTime.UtcNow },
            cancellationToken);
        db.JobLogs.Add(new JobLog
        {
            JobId = job.JobId, Level = "info", Message = $"Attempt {job.Attempt} picked up by a {job.Engine} worker", CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _actionType = current.ActionType;
        // Later attempts wait out their retry backoff on purpose, so only the first one measures the queue.
        if (job.Attempt == 1)
        {
            AutomationMetrics.QueueWaited(job.Engine, DateTime.UtcNow - DateTime.SpecifyKind(current.CreatedAt, DateTimeKind.Utc));
        }

        return true;
    }

    private async Task FinishAsync(JobRequested job, Guid messageId, JobExecutionOutcome outcome, CancellationToken cancellationToken)
    {
        // The bytes reach the store before the outcome is recorded; a discarded outcome takes them away again.
        var (rows, stored) = await StoreArtifactsAsync(job, outcome, cancellationToken);
        if (!await RecordAsync(job, messageId, stored, rows, cancellationToken))
        {
            await artifactWriter.DeleteAsync(rows, CancellationToken.None);
        }
    }

    private async Task<(List<JobArtifact> Rows, JobExecutionOutcome Outcome)> StoreArtifactsAsync(JobRequested job, JobExecutionOutcome outcome,
        CancellationToken cancellationToken)
    {
        var rows = outcome.Artifacts.Select(produced => new JobArtifact
        {
            Id = NewId.NextSequentialGuid(),
            JobId = job.JobId,
            ArtifactType = produced.ArtifactType,
            FileName = produced.FileName,
            MimeType = produced.MimeType,
            FileData = produced.Data.ToArray(),
            SizeBytes = produced.Data.Length,
            StepIndex = produced.StepIndex,
            CreatedAt = DateTime.UtcNow,
        }).ToList();
        try
        {
            await artifactWriter.StoreAsync(rows, cancellationToken);
            return (rows, outcome);
        }
        catch (ArtifactStoreUnavailableException ex)
        {
            logger.LogWarning("Job {JobId} attempt {Attempt}: {Reason}", job.JobId, job.Attempt, ex.Message);
            return ([], outcome with { ErrorType = JobErrorTypes.StorageUnavailable, ErrorMessage = ex.Message, Artifacts = [] });
        }
    }

    /// <summary>Records the outcome with its artifact rows; false when it was discarded (a duplicate, or the job moved on).</summary>
    private async Task<bool> RecordAsync(JobRequested job, Guid messageId, JobExecutionOutcome outcome, List<JobArtifact> rows,
        CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The job may have moved on while the page ran (watchdog retry, cancellation): its result would be ignored,
        // so store nothing. FOR SHARE keeps the state machine from changing the row until this commits.
        var (consumed, current) = await JobDelivery.ReceiveAsync(db, messageId, ConsumerId, job.JobId, lockJob: true, cancellationToken);
        if (consumed)
        {
            // A concurrent redelivery finished first; its outcome stands.
            await transaction.CommitAsync(cancellationToken);
            return false;
        }

        if (current is null || current.Attempt != job.Attempt || !JobStates.IsActive(current.State))
        {
            db.JobLogs.Add(new JobLog
            {
                JobId = job.JobId, Level = "warn", CreatedAt = DateTime.UtcNow,
                Message = $"Attempt {job.Attempt} finished after the job moved on "
                          + $"({(current is null ? "deleted" : JobStates.ToStatus(current.State))}, attempt {current?.Attempt}); its result was discarded",
            });
            if (current is not null)
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            await Inbox.MarkConsumedAsync(db, messageId, ConsumerId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return false;
        }

        var artifacts = new List<ArtifactInfo>(rows.Count);
        foreach (var artifact in rows)
        {
            db.Artifacts.Add(artifact);
            artifacts.Add(new ArtifactInfo(artifact.Id, artifact.ArtifactType, artifact.FileName, artifact.MimeType, artifact.SizeBytes,
                artifact.StepIndex));
        }

        var result = new JobResult
        {
            DurationMs = outcome.DurationMs,
            FinalUrl = outcome.FinalUrl,
            HttpStatus = outcome.HttpStatus,
            Title = outcome.Title,
            Steps = outcome.Steps,
            Extracted = outcome.Extracted,
            Artifacts = artifacts,
            FailedStepIndex = outcome.FailedStepIndex,
            BlockedRequests = outcome.BlockedRequests,
            Console = outcome.Console,
            PageErrors = outcome.PageErrors,
        };

        if (outcome.Succeeded)
        {
            await outbox.PublishEndpoint.Publish(new JobAttemptCompleted
            {
                JobId = job.JobId,
                Attempt = job.Attempt,
                StartedAt = outcome.StartedAt,
                CompletedAt = outcome.FinishedAt,
                Result = result,
            }, cancellationToken);
            logger.LogInformation("Job {JobId} attempt {Attempt} completed in {Duration} ms", job.JobId, job.Attempt, outcome.DurationMs);
        }
        else
        {
            await outbox.PublishEndpoint.Publish(new JobAttemptFailed
            {
                JobId = job.JobId,
                Attempt = job.Attempt,
                StartedAt = outcome.StartedAt,
                FailedAt = outcome.FinishedAt,
                ErrorType = outcome.ErrorType!,
                ErrorMessage = outcome.ErrorMessage ?? outcome.ErrorType!,
                Result = result,
            }, cancellationToken);
            logger.LogWarning("Job {JobId} attempt {Attempt} failed: {ErrorType}", job.JobId, job.Attempt, outcome.ErrorType);
        }

        db.JobLogs.Add(new JobLog
        {
            JobId = job.JobId,
            Level = outcome.Succeeded ? "info" : "error",
            Message = outcome.Succeeded
                ? $"Attempt {job.Attempt} executed in {outcome.DurationMs} ms"
                : $"Attempt {job.Attempt} ended with {outcome.ErrorType} after {outcome.DurationMs} ms: {outcome.ErrorMessage}",
            Metadata = $$"""{"steps":{{outcome.Steps.Count}},"artifacts":{{artifacts.Count}}}""",
            CreatedAt = DateTime.UtcNow,
        });
        // The inbox row is marked in the same batch as the artifacts, the outgoing message and the log line.
        Inbox.StageConsumed(db, messageId, ConsumerId);
        using (AutomationSpans.StartArtifactStorage(artifacts.Count, artifacts.Sum(a => a.SizeBytes)))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        AutomationMetrics.AttemptFinished(job.Engine, _actionType, outcome.Succeeded ? JobStatuses.Completed : JobStatuses.Failed,
            outcome.Succeeded ? null : outcome.ErrorType, outcome.FinishedAt - outcome.StartedAt);
        AutomationMetrics.UrlsBlocked(job.Engine, outcome.BlockedRequests.Count);
        return true;
    }
}
