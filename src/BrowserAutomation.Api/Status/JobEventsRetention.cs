using System.Diagnostics.Metrics;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Status;

/// <summary>
/// Keeps job_events to JOB_EVENTS_RETENTION_HOURS: what the live streams can replay. Every API copy sweeps; the deletes
/// are idempotent, in small batches so no sweep holds many row locks.
/// </summary>
public sealed class JobEventsRetention(IServiceScopeFactory scopes, IOptions<LiveStatusOptions> options, ILogger<JobEventsRetention> logger)
    : BackgroundService
{
    private const int BatchSize = 5_000;

    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    private static readonly Counter<long> Pruned = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.job_events.pruned", "{event}", "Status events removed from job_events after the retention period (no longer replayable).");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not prune job_events: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        var cutoff = DateTime.UtcNow.AddHours(-options.Value.EventRetentionHours);
        int deleted;
        do
        {
            deleted = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM job_events WHERE id IN (SELECT id FROM job_events WHERE changed_at < {cutoff} LIMIT {BatchSize})", cancellationToken);
            Pruned.Add(deleted);
        }
        while (deleted == BatchSize);
    }
}
