using System.Diagnostics.Metrics;
using Prometheus;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// What GET /metrics shows, one registry per host: the service's own instruments (<see cref="AutomationMeterExporter"/>),
/// every other meter of the process through prometheus-net's MeterAdapter (ASP.NET Core's http.server.request.duration,
/// the System.Runtime meter, MassTransit, Npgsql) and prometheus-net's process figures (CPU, memory, handles, GC).
/// Built only when metrics are enabled; without it no listener exists and recording costs nothing.
/// </summary>
public sealed class MetricsPipeline : IDisposable
{
    /// <summary>Request and call durations of other meters that give no bucket advice: 1 ms to 30 s.</summary>
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly AutomationMeterExporter _own;
    private readonly IDisposable _others;

    public MetricsPipeline()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        _own = new AutomationMeterExporter(Registry);
        _others = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            InstrumentFilterPredicate = static i => i.Meter.Name != AutomationTelemetry.Name,
            // The adapter forgets series idle this long; kept long so a quiet hour does not reset what it counts.
            MetricsExpireAfter = TimeSpan.FromHours(24),
            ResolveHistogramBuckets = Buckets,
        });
    }

    public CollectorRegistry Registry { get; }

    public void Dispose()
    {
        _others.Dispose();
        _own.Dispose();
    }

    private static double[] Buckets(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } advised } => [.. advised],
        _ when instrument.Unit == "s" => SecondsBuckets,
        _ => MeterAdapterOptions.DefaultHistogramBuckets,
    };
}
