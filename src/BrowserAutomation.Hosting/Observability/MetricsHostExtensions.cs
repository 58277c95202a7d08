using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace BrowserAutomation.Hosting.Observability;

public static class MetricsHostExtensions
{
    public static IHostApplicationBuilder AddAutomationMetrics(this IHostApplicationBuilder builder, string serviceName)
    {
        return builder;
    }

    public static WebApplication MapAutomationMetrics(this WebApplication app)
    {
        return app;
    }
}
