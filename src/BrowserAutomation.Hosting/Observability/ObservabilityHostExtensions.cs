using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>What every host (API and worker) gets for its operators: logs, metrics, traces and health.</summary>
public static class ObservabilityHostExtensions
{
    /// <summary>Logging (LOG_FORMAT, LOG_LEVEL), metrics, tracing and the health checks every host shares.</summary>
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAutomationLogging(serviceName);
        builder.AddAutomationMetrics(serviceName);
        builder.AddAutomationTracing(serviceName);
        builder.AddAutomationHealthChecks();
        return builder;
    }

    /// <summary>/metrics and the /health/live, /health/ready probes.</summary>
    public static WebApplication MapObservabilityEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapAutomationMetrics();
        app.MapAutomationHealthChecks();
        return app;
    }
}
