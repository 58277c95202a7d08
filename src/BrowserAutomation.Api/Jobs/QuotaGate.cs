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
        var engines = depth is null ? [] : perEngine.Keys.ToList();
        if (cap is null && engines.Count == 0)
        {
            return null;
        }

        if (cap is { } max)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({owner}, 0))", cancellationToken);
            var active = await db.Jobs.Where(j => j.Owner == owner && (j.CurrentState == JobStates.Pending || j.CurrentState == JobStates.Processing))
                .Select(j => j.Id).Take(max).CountAsync(cancellationToken);
            if (active + jobs > max)
            {
                return new SubmissionResult.TooManyActiveJobs(owner, max);
            }
        }

        foreach (var engine in engines)
        {
            var pending = await db.Jobs.Where(j => j.Engine == engine && j.CurrentState == JobStates.Pending)
                .Select(j => j.Id).Take(depth!.Value).CountAsync(cancellationToken);
            if (pending + perEngine[engine] > depth.Value)
            {
                return new SubmissionResult.QueueFull(engine, depth.Value);
            }
        }

        return null;
    }
}
