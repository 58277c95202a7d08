using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// The probes every host serves, on ASP.NET Core's health checks: /health/live (the process answers; no check runs) and
/// /health/ready (every registered check: PostgreSQL, MassTransit's "masstransit-bus" for the RabbitMQ connection, and
/// what the host adds, such as the worker's engines). 200 when healthy or degraded, 503 when a check is unhealthy.
/// </summary>
public static class HealthHostExtensions
{
    /// <summary>No probe waits longer than this for one check: a hung dependency is reported, not waited for.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IHostApplicationBuilder AddAutomationHealthChecks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // MassTransit adds its bus check to these options once health checks are registered.
        builder.Services.AddHealthChecks();
        builder.Services.PostConfigure<HealthCheckServiceOptions>(static options =>
        {
            foreach (var registration in options.Registrations.Where(r => r.Timeout <= TimeSpan.Zero || r.Timeout > CheckTimeout))
            {
                registration.Timeout = CheckTimeout;
            }
        });
        return builder;
    }

    public static WebApplication MapAutomationHealthChecks(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = static _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous().ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = WriteAsync })
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(HealthReportResponse.From(report), Json, context.RequestAborted);
}
