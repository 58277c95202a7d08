using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace BrowserAutomation.Hosting.Observability;

public static class LoggingHostExtensions
{
    public static IHostApplicationBuilder AddAutomationLogging(this IHostApplicationBuilder builder, string serviceName)
    {
        return builder;
    }

}
