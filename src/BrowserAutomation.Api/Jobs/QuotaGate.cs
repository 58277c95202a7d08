using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// The owner's active-job cap and the engines' backlog bound, checked inside the submitting transaction: the owner's
/// advisory lock (so parallel submissions on any API copy cannot overshoot the cap), the owner's active jobs and the
/// engines' pending counts. The owner's active jobs are known from an upper bound kept beside the lock
/// (owner_active_bounds): only admissions add active jobs, and every admission takes the lock and raises the bound in
/// its own transaction, so the bound can only be at or above the true count. While the bound leaves room, nothing is
/// counted; when it does not, the active jobs are counted exactly (an index range scan of at most cap rows) and the
/// bound starts again from that count. The engines' pending jobs are counted exactly, up to the bound.
/// </summary>
public sealed class QuotaGate(AutomationDbContext db)
{
    /// <summary>
    /// Checks that <paramref name="owner"/> may add <paramref name="jobs"/> active jobs (cap null: no cap, no lock) and
    /// that each engine's backlog has room for what is added to it (depth null: no bound). Needs an open transaction;
    /// the lock holds until it ends.
    /// </summary>
    public async Task<SubmissionResult?> CheckAsync(string owner, int? cap, int jobs, IReadOnlyDictionary<string, int> perEngine, int? depth,
        CancellationToken cancellationToken)
    {
        var room = await RoomAsync(owner, cap, jobs, depth is null ? [] : perEngine.Keys, depth, cancellationToken);
        if (room.Active is { } active && jobs > active)
        {
            return new SubmissionResult.TooManyActiveJobs(owner, cap!.Value);
        }

        foreach (var (engine, left) in room.Engines)
        {
            if (perEngine[engine] > left)
            {
                return new SubmissionResult.QueueFull(engine, depth!.Value);
            }
        }

        return null;
    }

    /// <summary>
    /// How many more active jobs <paramref name="owner"/> may have (null: no cap, no lock taken), at least
    /// <paramref name="wanted"/> whenever that many fit, and how many more pending jobs each of <paramref name="engines"/>
    /// may take (empty when <paramref name="depth"/> is null). Needs an open transaction: the owner's lock holds until it
    /// ends, so the answer stays true for what that transaction inserts (at most <paramref name="wanted"/> jobs).
    /// </summary>
    public async Task<(int? Active, Dictionary<string, int> Engines)> RoomAsync(string owner, int? cap, int wanted, IEnumerable<string> engines,
        int? depth, CancellationToken cancellationToken)
    {
        var counted = depth is null ? [] : engines.Distinct(StringComparer.Ordinal).ToList();
        int? activeRoom = null;
        var engineRoom = new Dictionary<string, int>(StringComparer.Ordinal);
        if (cap is null && counted.Count == 0)
        {
            return (activeRoom, engineRoom);
        }

        // One round trip for all of it while the bound leaves room: the lock, the bound raised by what is wanted, then
        // each engine's pending jobs counted up to the backlog bound (after the lock, as statements of a batch run in order).
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var recount = false;
        await using (var batch = new NpgsqlBatch(connection))
        {
            if (cap is { } max)
            {
                batch.BatchCommands.Add(Command(LockSql, owner));
                batch.BatchCommands.Add(Command(RaiseSql, owner, wanted, max));
            }

            foreach (var engine in counted)
            {
                batch.BatchCommands.Add(Command(PendingSql, engine, depth!.Value));
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            if (cap is { } capped)
            {
                await reader.NextResultAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    activeRoom = capped - reader.GetInt32(0);
                }
                else
                {
                    recount = true;
                }

                await reader.NextResultAsync(cancellationToken);
            }

            foreach (var engine in counted)
            {
                await reader.ReadAsync(cancellationToken);
                engineRoom[engine] = depth!.Value - reader.GetInt32(0);
                await reader.NextResultAsync(cancellationToken);
            }
        }

        if (cap is { } limit)
        {
            IntakeMetrics.ActiveCount(recounted: recount);
            if (recount)
            {
                activeRoom = await RecountAsync(owner, limit, wanted, cancellationToken);
            }
        }

        return (activeRoom, engineRoom);
    }

    /// <summary>
    /// The bound is missing (a new owner, or emptied by a crash: the table is UNLOGGED) or leaves too little room: the
    /// owner's active jobs are counted exactly (under the lock the batch took) and the bound starts again from the count.
    /// </summary>
    private async Task<int> RecountAsync(string owner, int cap, int wanted, CancellationToken cancellationToken)
    {
        var active = await db.Jobs.Where(j => j.Owner == owner && (j.CurrentState == JobStates.Pending || j.CurrentState == JobStates.Processing))
            .Select(j => j.Id).Take(cap).CountAsync(cancellationToken);
        await using var reset = new NpgsqlCommand(ResetSql, (NpgsqlConnection)db.Database.GetDbConnection())
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = owner },
                new NpgsqlParameter<int> { TypedValue = active + Math.Clamp(cap - active, 0, wanted) },
            },
        };
        await reset.ExecuteNonQueryAsync(cancellationToken);
        return cap - active;
    }

    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

    private const string RaiseSql = "UPDATE owner_active_bounds SET active = active + $2 WHERE owner = $1 AND active + $2 <= $3 RETURNING active - $2";

    // The literal status matches the partial index on pending jobs per engine (idx_jobs_engine_pending).
    private const string PendingSql = "SELECT count(*)::int FROM (SELECT 1 FROM automation_jobs WHERE engine = $1 AND status = 'pending' LIMIT $2) AS pending";

    private const string ResetSql = """
        INSERT INTO owner_active_bounds (owner, active) VALUES ($1, $2)
        ON CONFLICT (owner) DO UPDATE SET active = excluded.active
        """;

    private static NpgsqlBatchCommand Command(string sql, string key, params int[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = value });
        }

        return command;
    }
}
