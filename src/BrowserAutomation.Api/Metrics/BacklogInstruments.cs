using System.Diagnostics.Metrics;
using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.Api.Metrics;

/// <summary>
/// The gauges read from the database: queue depth and oldest pending age per engine, workers per engine and state,
/// the outbox backlog. They show the sampler's latest snapshot, so a scrape never queries the database.
/// </summary>
public static class BacklogInstruments
{
    private static BacklogSnapshot _snapshot = BacklogSnapshot.Empty;
    private static int _created;

    /// <summary>Creates the gauges once per process (only when metrics are enabled) and shows the given snapshot.</summary>
    public static void Publish(BacklogSnapshot snapshot)
    {
        Volatile.Write(ref _snapshot, snapshot);
        if (Interlocked.Exchange(ref _created, 1) == 1)
        {
            return;
        }

        var meter = AutomationTelemetry.Meter;
        meter.CreateObservableGauge("browser_automation_queue_depth", () => Current.Engines.Select(e =>
            new Measurement<int>(e.Pending, Engine(e.Engine))), "{job}", "Pending jobs, by engine.");
        meter.CreateObservableGauge("browser_automation_queue_oldest_age_seconds", () => Current.Engines.Select(e =>
            new Measurement<double>(Age(e.Oldest), Engine(e.Engine))), "s", "Age of the oldest pending job (since accepted), by engine; 0 when none.");
        meter.CreateObservableGauge("browser_automation_workers", () => Current.Workers.Select(w =>
                new Measurement<int>(w.Count, new KeyValuePair<string, object?>("engine", w.Engine), new KeyValuePair<string, object?>("state", w.State))),
            "{worker}", "Workers by engine and state: idle, busy, or offline (heartbeat stale).");
        meter.CreateObservableGauge("browser_automation_outbox_pending_messages", () => Current.OutboxPending,
            "{message}", "Outbox messages due for dispatch to RabbitMQ and not sent yet (delayed ones count once due).");
        meter.CreateObservableGauge("browser_automation_outbox_oldest_age_seconds", () => Age(Current.OutboxOldest),
            "s", "How long the oldest due outbox message has waited for dispatch; 0 when none.");
    }

    private static BacklogSnapshot Current => Volatile.Read(ref _snapshot);

    private static KeyValuePair<string, object?> Engine(string engine) => new("engine", engine);

    private static double Age(DateTime? since) => since is { } at ? Math.Max(0, (DateTime.UtcNow - at).TotalSeconds) : 0;
}
