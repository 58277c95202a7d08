using Prometheus;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// What GET /metrics shows, one registry per host: every meter of the process through
/// <see cref="AutomationMeterExporter"/> (the service's own instruments, ASP.NET Core's http.server.request.duration,
/// the System.Runtime meter, MassTransit, Npgsql) and prometheus-net's process figures (CPU, memory, handles, GC).
/// Built only when metrics are enabled; without it no listener exists and recording costs nothing.
/// </summary>
public sealed class MetricsPipeline : IDisposable
{
    private readonly AutomationMeterExporter _exporter;

    public MetricsPipeline()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        _exporter = new AutomationMeterExporter(Registry);
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => _exporter.Dispose();
}
