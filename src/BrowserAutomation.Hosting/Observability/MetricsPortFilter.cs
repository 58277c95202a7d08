using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// With METRICS_PORT set, that port serves /metrics and nothing else, and the main addresses do not serve /metrics.
/// Decided by the connection's local port (not the Host header), before any other middleware.
/// </summary>
internal sealed class MetricsPortFilter(int port) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            var onMetricsPort = context.Connection.LocalPort == port;
            var isMetrics = context.Request.Path.Equals(MetricsHostExtensions.Path, StringComparison.OrdinalIgnoreCase);
            if (onMetricsPort != isMetrics)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
