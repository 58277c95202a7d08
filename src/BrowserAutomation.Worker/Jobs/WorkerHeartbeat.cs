using System.Text.Json;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Worker.Jobs;

/// <summary>
/// Registers this worker in browser_workers (one row per engine it serves), refreshes status, current job and pool
/// state every few seconds, and marks the rows offline on a clean shutdown. Readers treat a stale heartbeat as offline.
/// </summary>
public sealed class WorkerHeartbeat(
    IServiceScopeFactory scopes,
    IOptions<WorkerOptions> options,
    RunningJobs running,
    BrowserPool pool,
    ILogger<WorkerHeartbeat> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>This process's identity; each engine row gets an id derived from it.</summary>
    public Guid WorkerId { get; } = Guid.NewGuid();

    private readonly Dictionary<string, (Guid RowId, int? BrowserTypeId)> _rows = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.HeartbeatIntervalMs);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Each beat gets its own deadline: a database call that hangs must not silence the worker for good
            // (a stale heartbeat makes the API refuse jobs for this engine).
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            beat.CancelAfter(interval * 2);
            try
            {
                await BeatAsync(offline: false, beat.Token);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Worker heartbeat failed: {Error}", exception.Message);
            }

            try
            {
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await BeatAsync(offline: true, cancellationToken);
        }
        catch (Exception exception)
        {
            logger.LogWarning("Could not mark the worker offline: {Error}", exception.Message);
        }
    }

    private async Task BeatAsync(bool offline, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        var jobs = running.Snapshot();
        var stats = pool.GetStats();

        foreach (var engine in options.Value.EngineList)
        {
            if (!_rows.TryGetValue(engine, out var row))
            {
                var browserTypeId = await db.BrowserTypes
                    .Where(b => b.Type == engine && b.DeviceType == "desktop")
                    .Select(b => (int?)b.Id)
                    .FirstOrDefaultAsync(cancellationToken);
                row = _rows[engine] = (Guid.NewGuid(), browserTypeId);
            }

            var mine = jobs.Where(j => j.Engine == engine).OrderBy(j => j.StartedAt).ToList();
            var status = offline ? "offline" : mine.Count > 0 ? "busy" : "idle";
            var engineStatus = pool.Engines.TryGetValue(engine, out var probe) ? probe : null;
            var poolStats = stats.TryGetValue(engine, out var engineStats) ? engineStats : null;
            var metadata = JsonSerializer.Serialize(new
            {
                workerId = WorkerId,
                host = Environment.MachineName,
                pid = Environment.ProcessId,
                engine,
                available = engineStatus?.Available,
                browserVersion = engineStatus?.Version,
                unavailableReason = engineStatus?.Reason,
                maxConcurrentJobs = options.Value.MaxConcurrentJobs,
                runningJobs = mine.Select(j => j.JobId).ToList(),
                pool = poolStats,
            }, Json);

            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO browser_workers (id, browser_type_id, status, current_job_id, last_heartbeat, started_at, metadata)
                VALUES ({row.RowId}, {row.BrowserTypeId}, {status}, {mine.FirstOrDefault()?.JobId}, now(), now(), {metadata}::jsonb)
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, current_job_id = excluded.current_job_id,
                    last_heartbeat = excluded.last_heartbeat, metadata = excluded.metadata
                """, cancellationToken);
        }
    }
}
