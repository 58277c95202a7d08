using System.Collections.Concurrent;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// The owner's active-job cap and the engines' backlog bound, checked in one round trip inside the submitting
/// transaction: the owner's advisory lock (so parallel submissions on any API copy cannot overshoot the cap), the
/// owner's active count and the engines' pending counts, each counted only up to its limit. A backlog far below its
/// bound (see <see cref="BacklogEstimates"/>) is not counted at all.
/// </summary>
public sealed class QuotaGate(AutomationDbContext db, BacklogEstimates estimates)
{
    /// <summary>
    /// Checks that <paramref name="owner"/> may add <paramref name="jobs"/> active jobs (cap null: no cap, no lock) and
    /// that each engine's backlog has room for what is added to it (depth null: no bound). Needs an open transaction;
    /// the lock holds until it ends.
    /// </summary>
    public async Task<SubmissionResult?> CheckAsync(string owner, int? cap, int jobs, IReadOnlyDictionary<string, int> perEngine, int? depth,
        CancellationToken cancellationToken)
    {
        var engines = depth is { } bound ? perEngine.Where(e => !estimates.FarBelow(e.Key, e.Value, bound)).Select(e => e.Key).ToList() : [];
        if (cap is null && engines.Count == 0)
        {
            return null;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        if (cap is { } limit)
        {
            batch.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", owner));
            batch.BatchCommands.Add(Command(
                "SELECT count(*) FROM (SELECT 1 FROM automation_jobs WHERE owner = $1 AND status IN ($2, $3) LIMIT $4) a",
                owner, JobStates.Pending, JobStates.Processing, limit));
        }

        foreach (var engine in engines)
        {
            batch.BatchCommands.Add(Command("SELECT count(*) FROM (SELECT 1 FROM automation_jobs WHERE engine = $1 AND status = $2 LIMIT $3) p",
                engine, JobStates.Pending, depth!.Value));
        }

        // One result set per statement, in order: the lock's (skipped), then one count each.
        var counts = new List<long>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            var index = 0;
            do
            {
                var isCount = cap is null || index > 0;
                if (await reader.ReadAsync(cancellationToken) && isCount)
                {
                    counts.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
                }

                index++;
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        var next = 0;
        if (cap is { } max && counts[next++] + jobs > max)
        {
            return new SubmissionResult.TooManyActiveJobs(owner, max);
        }

        foreach (var engine in engines)
        {
            var pending = counts[next++];
            estimates.Record(engine, pending);
            if (pending + perEngine[engine] > depth!.Value)
            {
                return new SubmissionResult.QueueFull(engine, depth.Value);
            }
        }

        return null;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
