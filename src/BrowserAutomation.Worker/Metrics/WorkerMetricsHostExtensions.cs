using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.Worker.Metrics;

public static class WorkerMetricsHostExtensions
{
    /// <summary>The worker's browser pool instruments, only when metrics are enabled.</summary>
    public static IHostApplicationBuilder AddWorkerMetrics(this IHostApplicationBuilder builder)
    {
        if (MetricsHostExtensions.IsMetricsEnabled(builder.Configuration))
        {
            builder.Services.AddHostedService<PoolInstruments>();
        }

        return builder;
    }
}
