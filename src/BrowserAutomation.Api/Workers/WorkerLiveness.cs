using BrowserAutomation.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Workers;

/// <summary>
/// Which workers are alive: a fresh heartbeat, within <see cref="WorkerLivenessOptions.StaleAfterMs"/>. Liveness is
/// shown (workers, browsers, /health); admission asks <see cref="Serves"/>, the deployment's configuration.
/// </summary>
public sealed class WorkerLiveness(IOptions<WorkerLivenessOptions> options, IOptions<ServedEnginesOptions> served, TimeProvider time)
{
    /// <summary>Whether this deployment serves <paramref name="engine"/> (SERVED_ENGINES), live worker or not.</summary>
    public bool Serves(string engine) => served.Value.Serves(engine);

    /// <summary>Heartbeats older than this are stale: their worker is offline.</summary>
    public DateTime Cutoff => time.GetUtcNow().UtcDateTime - TimeSpan.FromMilliseconds(options.Value.StaleAfterMs);

    /// <summary>Engines with at least one live worker (informational: admission does not depend on it).</summary>
    public async Task<HashSet<string>> LiveEnginesAsync(AutomationDbContext db, CancellationToken cancellationToken)
    {
        // Live, and not reporting that its browser failed to launch (the same rule as "available" in /browsers).
        var cutoff = Cutoff;
        var engines = await db.Database.SqlQuery<string>($"""
            SELECT DISTINCT b.type AS "Value"
            FROM browser_workers w JOIN browser_types b ON b.id = w.browser_type_id
            WHERE w.status <> 'offline' AND w.last_heartbeat > {cutoff}
              AND coalesce(w.metadata ->> 'available', 'true') <> 'false'
            """).ToListAsync(cancellationToken);
        return engines.ToHashSet();
    }
}
