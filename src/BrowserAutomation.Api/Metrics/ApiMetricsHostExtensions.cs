using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.Api.Metrics;

public static class ApiMetricsHostExtensions
{
    /// <summary>The API's database-sampled gauges (queue, workers, outbox), only when metrics are enabled.</summary>
    public static IHostApplicationBuilder AddApiMetrics(this IHostApplicationBuilder builder)
    {
        if (MetricsHostExtensions.IsMetricsEnabled(builder.Configuration))
        {
            builder.Services.AddHostedService<BacklogSampler>();
        }

        return builder;
    }
}
