using BrowserAutomation.Api.Security;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// A batch of submissions in one transaction, all or nothing: every item is validated exactly like a single POST, and
/// any problem refuses the whole batch naming each bad item (jobs[3].payload.url). Items whose idempotency key already
/// names a job with the same body are answered with that job (replayed) and not created again, so a client that is
/// unsure whether a batch went through sends the same batch again and gets the same jobs. The owner's cap and each
/// engine's backlog bound must have room for all new jobs together.
/// </summary>
public sealed class JobBatchSubmission(AutomationDbContext db, JobSubmission submission, QuotaGate quotas)
{
    public const int MaxJobs = 1000;

    /// <summary>The outcome: the jobs, or the refusal (Invalid with per-item fields, KeyConflict, a quota) for the whole batch.</summary>
    public sealed record Outcome(IReadOnlyList<SubmissionResult.Accepted>? Jobs, SubmissionResult? Refusal, int Status);

    public async Task<Outcome> SubmitAsync(IReadOnlyList<SubmitJob> items, Caller caller, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var owner = caller.Owner;
        var signer = Webhooks.WebhookTargets.SignerFor(caller);
        var errors = new Dictionary<string, string[]>();
        var unprocessable = false;
        var prepared = new PreparedJob?[items.Count];
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var request = items[i] with { Owner = owner };
            if (request.IdempotencyKey is { } key && !keys.TryAdd(key, i))
            {
                errors[$"jobs[{i}].idempotencyKey"] = [$"The same idempotency key as jobs[{keys[key]}]; each job of a batch needs its own."];
                continue;
            }

            var (refused, job) = await submission.PrepareAsync(request, signer, checkIdempotencyKey: false, cancellationToken);
            prepared[i] = job;
            switch (refused)
            {
                case SubmissionResult.Invalid invalid:
                    foreach (var (field, messages) in invalid.Errors)
                    {
                        errors[$"jobs[{i}].{field}"] = messages;
                    }

                    break;
                case SubmissionResult.BrowserTypeInactive inactive:
                    errors[$"jobs[{i}].browserTypeId"] = [inactive.Message];
                    unprocessable = true;
                    break;
                case SubmissionResult.NoLiveWorker noWorker:
                    errors[$"jobs[{i}].browserTypeId"] = [noWorker.Message];
                    unprocessable = true;
                    break;
            }
        }

        if (errors.Count > 0)
        {
            var status = unprocessable && errors.Keys.All(k => k.EndsWith(".browserTypeId", StringComparison.Ordinal)) ? 422 : 400;
            return new Outcome(null, new SubmissionResult.Invalid(errors), status);
        }

        // Earlier jobs under the batch's idempotency keys: one query for all of them.
        var existing = keys.Count == 0
            ? []
            : await db.Jobs.AsNoTracking().Where(j => j.Owner == owner && j.IdempotencyKey != null && keys.Keys.Contains(j.IdempotencyKey))
                .ToDictionaryAsync(j => j.IdempotencyKey!, StringComparer.Ordinal, cancellationToken);
        var results = new SubmissionResult.Accepted[items.Count];
        var fresh = new List<PreparedJob>();
        for (var i = 0; i < items.Count; i++)
        {
            var job = prepared[i]!.Job;
            if (job.IdempotencyKey is { } key && existing.TryGetValue(key, out var earlier))
            {
                if (JobSubmission.Replay(earlier, job.RequestHash!) is SubmissionResult.KeyConflict conflict)
                {
                    errors[$"jobs[{i}].idempotencyKey"] = [$"Already used for job {conflict.ExistingJobId} with a different body."];
                }
                else
                {
                    results[i] = new SubmissionResult.Accepted(earlier, Created: false);
                }

                continue;
            }

            results[i] = new SubmissionResult.Accepted(job, Created: true);
            fresh.Add(prepared[i]!);
        }

        if (errors.Count > 0)
        {
            return new Outcome(null, new SubmissionResult.Invalid(errors), 409);
        }

        if (fresh.Count > 0)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Database.AutoSavepointsEnabled = false; // a failed save ends the whole batch: nothing to roll back to
            var running = fresh.Where(p => p.Original is null).ToList();
            var perEngine = running.GroupBy(p => p.Job.Engine).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            if (running.Count > 0 && await quotas.CheckAsync(owner, submission.CapFor(caller), running.Count, perEngine, submission.QueueMaxDepth,
                    cancellationToken) is { } over)
            {
                JobSubmission.CountRefusal(over, "batch", running.Count);
                return new Outcome(null, over, over is SubmissionResult.QueueFull ? 503 : 429);
            }

            foreach (var job in fresh)
            {
                await submission.StageAsync(job, publish, cancellationToken);
            }

            try
            {
                // The new jobs, their log rows and messages by COPY; what is left (webhooks, cached answers) by SaveChanges.
                await BulkWriter.WriteNewJobsAsync(db, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (Exception e) when (JobSubmission.IsUniqueViolation(e))
            {
                // Another submission took one of the keys meanwhile; nothing of this batch was stored, and sending it again replays that job.
                db.ChangeTracker.Clear();
                return new Outcome(null, new SubmissionResult.Invalid(new Dictionary<string, string[]>
                {
                    ["jobs"] = ["An idempotency key of this batch was used by another submission at the same moment; nothing was stored. Send the batch again."],
                }), 409);
            }

            foreach (var job in fresh)
            {
                submission.Accepted(job.Job);
            }
        }

        IntakeMetrics.Batch(items.Count);
        return new Outcome(results, null, fresh.Count > 0 ? 202 : 200);
    }
}
