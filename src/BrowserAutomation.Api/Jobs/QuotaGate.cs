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
        int? activeRoom = null;
        if (cap is { } max)
        {
            activeRoom = await ActiveRoomAsync(owner, max, wanted, cancellationToken);
        }

        var engineRoom = new Dictionary<string, int>(StringComparer.Ordinal);
        if (depth is { } bound)
        {
            foreach (var engine in engines)
            {
                var pending = await db.Jobs.Where(j => j.Engine == engine && j.CurrentState == JobStates.Pending)
                    .Select(j => j.Id).Take(bound).CountAsync(cancellationToken);
                engineRoom[engine] = bound - pending;
            }
        }

        return (activeRoom, engineRoom);
    }

    // One round trip while the bound leaves room for all that is wanted: the lock, then the bound raised by it.
    private async Task<int> ActiveRoomAsync(string owner, int cap, int wanted, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(Command(LockSql, owner));
            batch.BatchCommands.Add(Command(RaiseSql, owner, wanted, cap));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                IntakeMetrics.ActiveCount(recounted: false);
                return cap - reader.GetInt32(0);
            }
        }

        // The bound is missing (a new owner, or emptied by a crash: the table is UNLOGGED) or leaves too little room.
        var active = await db.Jobs.Where(j => j.Owner == owner && (j.CurrentState == JobStates.Pending || j.CurrentState == JobStates.Processing))
            .Select(j => j.Id).Take(cap).CountAsync(cancellationToken);
        await using (var reset = new NpgsqlBatch(connection))
        {
            reset.BatchCommands.Add(Command(ResetSql, owner, active + Math.Clamp(cap - active, 0, wanted)));
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }

        IntakeMetrics.ActiveCount(recounted: true);
        return cap - active;
    }

    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

    private const string RaiseSql = "UPDATE owner_active_bounds SET active = active + $2 WHERE owner = $1 AND active + $2 <= $3 RETURNING active - $2";

    private const string ResetSql = """
        INSERT INTO owner_active_bounds (owner, active) VALUES ($1, $2)
        ON CONFLICT (owner) DO UPDATE SET active = excluded.active
        """;

    private static NpgsqlBatchCommand Command(string sql, string owner, params int[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = value });
        }

        return command;
    }
}
