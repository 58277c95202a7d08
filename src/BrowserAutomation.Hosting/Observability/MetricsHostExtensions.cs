using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace BrowserAutomation.Hosting.Observability;

public static class MetricsHostExtensions
{
    public const string Path = "/metrics";

    /// <summary>
    /// ENABLE_METRICS and METRICS_PORT, checked at start; when enabled, the registry behind /metrics and, with a port
    /// of its own, the extra listening address. Disabled: nothing is registered, nothing listens to the meters.
    /// </summary>
    public static IHostApplicationBuilder AddAutomationMetrics(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MetricsOptions>().BindSettings(MetricsOptions.SectionName);
        if (!IsMetricsEnabled(builder.Configuration))
        {
            return builder;
        }

        builder.Services.AddSingleton<MetricsPipeline>();
        // An unreadable or out-of-range port is left to the settings validation, which stops the process naming it.
        if (MetricsPort(builder.Configuration) is { } port)
        {
            builder.Configuration["urls"] = MetricsListenAddress.WithMetricsPort(builder.Configuration["urls"], port);
            builder.Services.AddSingleton<IStartupFilter>(new MetricsPortFilter(port));
        }

        return builder;
    }

    /// <summary>GET /metrics in Prometheus text format, anonymous (scrapers carry no API key), when metrics are enabled.</summary>
    public static WebApplication MapAutomationMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<MetricsPipeline>() is not { } pipeline)
        {
            return app;
        }

        app.MapMetrics(Path, pipeline.Registry).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>ENABLE_METRICS as the host reads it before start (a value that does not parse counts as enabled and fails validation).</summary>
    public static bool IsMetricsEnabled(IConfiguration configuration)
    {
        var value = EnvironmentMapping.Read(configuration, $"{MetricsOptions.SectionName}:{nameof(MetricsOptions.Enabled)}")?.Trim();
        return value switch
        {
            null or "" or "1" => true,
            "0" => false,
            _ => !bool.TryParse(value, out var enabled) || enabled,
        };
    }

    private static int? MetricsPort(IConfiguration configuration) =>
        EnvironmentMapping.Read(configuration, $"{MetricsOptions.SectionName}:{nameof(MetricsOptions.Port)}") is { Length: > 0 } value
        && int.TryParse(value.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65_535
            ? port
            : null;
}
