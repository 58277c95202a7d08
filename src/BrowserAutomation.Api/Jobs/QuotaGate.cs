using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// The owner's active-job cap and the engines' backlog bound, checked inside the submitting transaction: the owner's
/// advisory lock (so parallel submissions on any API copy cannot overshoot the cap), the owner's active count and the
/// engines' pending counts, each counted exactly, but only up to its limit (an index range scan of at most that many rows).
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
        var room = await RoomAsync(owner, cap, depth is null ? [] : perEngine.Keys, depth, cancellationToken);
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
    /// How many more active jobs <paramref name="owner"/> may have (null: no cap, no lock taken) and how many more pending
    /// jobs each of <paramref name="engines"/> may take (empty when <paramref name="depth"/> is null). Needs an open
    /// transaction: the owner's lock holds until it ends, so the answer stays true for what that transaction inserts.
    /// </summary>
    public async Task<(int? Active, Dictionary<string, int> Engines)> RoomAsync(string owner, int? cap, IEnumerable<string> engines, int? depth,
        CancellationToken cancellationToken)
    {
        int? activeRoom = null;
        if (cap is { } max)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({owner}, 0))", cancellationToken);
            var active = await db.Jobs.Where(j => j.Owner == owner && (j.CurrentState == JobStates.Pending || j.CurrentState == JobStates.Processing))
                .Select(j => j.Id).Take(max).CountAsync(cancellationToken);
            activeRoom = max - active;
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
}
