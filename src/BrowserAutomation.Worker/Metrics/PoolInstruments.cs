using System.Diagnostics.Metrics;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.Worker.Metrics;

/// <summary>
/// The browser pool's figures (<see cref="EnginePoolStats"/>) as instruments, read from the pool when Prometheus
/// scrapes: browsers and contexts now, launches, recycles and crashes since the worker started.
/// </summary>
public sealed class PoolInstruments(BrowserPool pool) : IHostedService
{
    private static Func<IReadOnlyDictionary<string, EnginePoolStats>> _source = static () => new Dictionary<string, EnginePoolStats>();
    private static int _created;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _source, pool.GetStats);
        if (Interlocked.Exchange(ref _created, 1) == 0)
        {
            var meter = AutomationTelemetry.Meter;
            meter.CreateObservableGauge("browser_automation_browser_pool_browsers", () => Read(s => s.Browsers), "{browser}",
                "Browser processes running or launching (recycled ones still closing included), by engine.");
            meter.CreateObservableGauge("browser_automation_browser_pool_contexts", () => Read(s => s.OpenContexts), "{context}",
                "Browser contexts open (in use by a job or closing), by engine.");
            meter.CreateObservableGauge("browser_automation_browser_pool_warm_contexts", () => Read(s => s.WarmReady), "{context}",
                "Pre-warmed contexts (with a blank page) ready for the next job with default context options, by engine.");
            meter.CreateObservableCounter("browser_automation_browsers_launched_total", () => Read(s => s.Launched), "{browser}",
                "Browsers launched since the worker started, by engine.");
            meter.CreateObservableCounter("browser_automation_browsers_recycled_total", () => Read(s => s.Recycled), "{browser}",
                "Browsers closed after serving their page quota, by engine.");
            meter.CreateObservableCounter("browser_automation_browsers_crashed_total", () => Read(s => s.Crashed), "{browser}",
                "Browsers that died or disconnected without being asked to, by engine.");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<Measurement<long>> Read(Func<EnginePoolStats, long> figure) =>
        Volatile.Read(ref _source)().Values.Select(s => new Measurement<long>(figure(s), new KeyValuePair<string, object?>("engine", s.Engine)));
}
