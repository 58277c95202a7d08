using BrowserAutomation.Api.Workers;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Metrics;

/// <summary>
/// Reads the backlog gauges from the database every few seconds (only while metrics are enabled): four small
/// aggregate queries on indexed columns, whatever the scrape rate. A failed read keeps the last snapshot.
/// </summary>
public sealed class BacklogSampler(IServiceScopeFactory scopes, WorkerLiveness liveness, ILogger<BacklogSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private static readonly string[] WorkerStates = ["idle", "busy", "offline"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                BacklogInstruments.Publish(await SampleAsync(stoppingToken));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Metrics: reading the job backlog failed: {Reason}", e.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<BacklogSnapshot> SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();

        var engines = await db.BrowserTypes.AsNoTracking().Where(b => b.IsActive).Select(b => b.Type).Distinct().ToListAsync(cancellationToken);
        var pending = await db.Jobs.AsNoTracking()
            .Where(j => j.CurrentState == JobStates.Pending)
            .GroupBy(j => j.Engine)
            .Select(g => new { Engine = g.Key, Count = g.Count(), Oldest = g.Min(j => j.CreatedAt) })
            .ToListAsync(cancellationToken);
        var cutoff = liveness.Cutoff;
        var workers = await db.Workers.AsNoTracking()
            .Join(db.BrowserTypes, w => w.BrowserTypeId, b => b.Id, (w, b) => new { b.Type, w.Status, Live = w.LastHeartbeat > cutoff })
            .GroupBy(x => new { x.Type, State = x.Live && x.Status != "offline" ? x.Status : "offline" })
            .Select(g => new { g.Key.Type, g.Key.State, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var now = DateTime.UtcNow;
        var due = db.OutboxMessages.AsNoTracking().Where(m => m.DeliverAfter == null || m.DeliverAfter <= now);
        var outboxPending = await due.CountAsync(cancellationToken);
        var outboxOldest = await due.Select(m => (DateTime?)(m.DeliverAfter ?? m.CreatedAt)).MinAsync(cancellationToken);

        var allEngines = engines.Concat(pending.Select(p => p.Engine)).Concat(workers.Select(w => w.Type)).Distinct().Order().ToList();
        var backlog = allEngines.Select(e => pending.FirstOrDefault(p => p.Engine == e) is { } p
            ? new EngineBacklog(e, p.Count, p.Oldest)
            : new EngineBacklog(e, 0, null)).ToList();
        // Every engine shows all three states, so "no idle worker" is a 0, not a missing series.
        var counts = allEngines.SelectMany(e => WorkerStates.Select(state =>
            new WorkerCount(e, state, workers.Where(w => w.Type == e && w.State == state).Sum(w => w.Count)))).ToList();
        return new BacklogSnapshot(backlog, counts, outboxPending, outboxOldest);
    }
}
