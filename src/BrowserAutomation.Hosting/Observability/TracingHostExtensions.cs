using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace BrowserAutomation.Hosting.Observability;

public static class TracingHostExtensions
{
    public static IHostApplicationBuilder AddAutomationTracing(this IHostApplicationBuilder builder, string serviceName)
    {
        return builder;
    }

}
