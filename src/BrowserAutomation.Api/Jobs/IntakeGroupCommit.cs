using System.Diagnostics;
using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// Group commit for single submissions: the jobs one owner submits on this API copy while its previous transaction is
/// still committing are stored together in the next one, under one take of the owner's lock and one count of its
/// active jobs, instead of queueing one by one on that lock. Each job is still admitted exactly: in arrival order, while
/// the owner's cap and its engine's backlog bound have room, so a group never lets more in than single transactions
/// would. A job refused for quota gets the same answer it would alone; a group that hits an idempotency-key race is
/// given back, and each of its jobs is submitted on its own (the single path answers the race with a replay).
/// </summary>
public sealed class IntakeGroupCommit(IServiceScopeFactory scopes)
{
    /// <summary>At most this many jobs per transaction (the batch endpoint's own limit is 1,000).</summary>
    private const int MaxJobsPerCommit = 100;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Owner, int? Cap, int? Depth), Batcher<Waiter>> _lanes = new();

    /// <summary>
    /// Stores <paramref name="prepared"/> in the owner's next group: Accepted, a quota refusal, or null when the caller
    /// must submit it on its own (the group met an idempotency-key race).
    /// </summary>
    public Task<SubmissionResult?> SubmitAsync(PreparedJob prepared, int? cap, int? depth)
    {
        var lane = _lanes.GetOrAdd((prepared.Job.Owner, cap, depth),
            key => new Batcher<Waiter>(group => CommitOrFailAsync(new Lane(key.Owner, key.Cap, key.Depth), group), MaxJobsPerCommit));
        var waiter = new Waiter(prepared, Activity.Current);
        lane.Add(waiter);
        return waiter.Completion.Task;
    }

    private async Task CommitOrFailAsync(Lane lane, List<Waiter> group)
    {
        try
        {
            await CommitAsync(lane, group);
        }
        catch (Exception e)
        {
            foreach (var waiter in group)
            {
                waiter.Completion.TrySetException(e);
            }
        }
    }

    private async Task CommitAsync(Lane lane, List<Waiter> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        var submission = scope.ServiceProvider.GetRequiredService<JobSubmission>();
        var quotas = scope.ServiceProvider.GetRequiredService<QuotaGate>();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();

        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        // A failed save ends the whole group: no savepoint round trips inside the owner's lock.
        db.Database.AutoSavepointsEnabled = false;
        var running = group.Where(w => w.Prepared.Original is null).ToList();
        var (activeRoom, engineRoom) = running.Count == 0
            ? (null, [])
            : await quotas.RoomAsync(lane.Owner, lane.Cap, running.Count, running.Select(w => w.Prepared.Job.Engine).Distinct(StringComparer.Ordinal), lane.Depth,
                CancellationToken.None);

        var admitted = new List<Waiter>(group.Count);
        var refused = new List<(Waiter Waiter, SubmissionResult Result)>();
        foreach (var waiter in group)
        {
            // A cached answer runs nothing, so the quotas do not apply to it (as for a single submission).
            if (waiter.Prepared.Original is null)
            {
                var engine = waiter.Prepared.Job.Engine;
                if (activeRoom is < 1)
                {
                    refused.Add((waiter, new SubmissionResult.TooManyActiveJobs(lane.Owner, lane.Cap!.Value)));
                    continue;
                }

                var bounded = engineRoom.TryGetValue(engine, out var left);
                if (bounded && left < 1)
                {
                    refused.Add((waiter, new SubmissionResult.QueueFull(engine, lane.Depth!.Value)));
                    continue;
                }

                activeRoom--;
                if (bounded)
                {
                    engineRoom[engine] = left - 1;
                }
            }

            admitted.Add(waiter);
        }

        var outer = Activity.Current;
        try
        {
            foreach (var waiter in admitted)
            {
                // Each job's message carries its own POST's trace, not the group's.
                Activity.Current = waiter.Activity;
                await submission.StageAsync(waiter.Prepared, publish, CancellationToken.None);
            }
        }
        finally
        {
            Activity.Current = outer;
        }

        try
        {
            if (admitted.Count > 0)
            {
                // A large group goes by COPY (see BulkWriter); a small one, and whatever COPY leaves, by SaveChanges.
                await BulkWriter.WriteNewJobsAsync(db, CancellationToken.None);
                await db.SaveChangesAsync(CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception e) when (JobSubmission.IsUniqueViolation(e))
        {
            // Another submission took one of the group's idempotency keys meanwhile: nothing of the group was stored.
            await transaction.RollbackAsync(CancellationToken.None);
            foreach (var waiter in group)
            {
                waiter.Completion.TrySetResult(null);
            }

            return;
        }

        if (admitted.Count > 0)
        {
            IntakeMetrics.Group(admitted.Count);
        }

        foreach (var waiter in admitted)
        {
            waiter.Completion.TrySetResult(new SubmissionResult.Accepted(waiter.Prepared.Job, Created: true));
        }

        foreach (var (waiter, result) in refused)
        {
            waiter.Completion.TrySetResult(result);
        }
    }

    private sealed record Lane(string Owner, int? Cap, int? Depth);

    private sealed class Waiter(PreparedJob prepared, Activity? activity)
    {
        public PreparedJob Prepared { get; } = prepared;

        public Activity? Activity { get; } = activity;

        public TaskCompletionSource<SubmissionResult?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
