using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace BrowserAutomation.Hosting.Observability;

public static class HealthHostExtensions
{
    public static IHostApplicationBuilder AddAutomationHealthChecks(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication MapAutomationHealthChecks(this WebApplication app)
    {
        return app;
    }
}
