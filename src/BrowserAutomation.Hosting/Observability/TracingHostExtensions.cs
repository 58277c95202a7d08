using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BrowserAutomation.Hosting.Observability;

public static class TracingHostExtensions
{
    /// <summary>The MassTransit activity source: send, receive and consume spans, and the trace context in message headers.</summary>
    public const string MassTransitSource = "MassTransit";

    /// <summary>
    /// OpenTelemetry tracing for the service's own spans, MassTransit, ASP.NET Core, HttpClient and Npgsql. With
    /// OTEL_EXPORTER_OTLP_ENDPOINT set, spans are exported over OTLP (OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_SAMPLER,
    /// OTEL_BSP_* and OTEL_EXPORTER_OTLP_HEADERS/TIMEOUT as the SDK reads them). Without it the spans are still made (so
    /// the trace context crosses the broker and logs and the job's traceId work) but nothing exports them, and there are
    /// no HttpClient or Npgsql spans. A malformed setting stops the host at
    /// start, naming its variable.
    /// </summary>
    public static IHostApplicationBuilder AddAutomationTracing(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TracingOptions>().BindSettings(TracingOptions.SectionName);

        // Which pipeline to build is decided now; a value that does not bind or validate is reported by the start-up
        // validation (with the variable's name), so here it only means "do not export".
        var settings = Peek(builder);
        var export = settings.ExportUri;

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                string.IsNullOrWhiteSpace(settings.ServiceName) ? serviceName : settings.ServiceName.Trim()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(AutomationTelemetry.Name, MassTransitSource);
                tracing.AddAspNetCoreInstrumentation(options => options.Filter = IsTraced);
                // Sampled spans even when nothing exports them: MassTransit only carries the trace context across the
                // broker for spans it records, and the worker's log lines need the job's trace id.
                tracing.SetSampler(TracingSampler.From(settings));
                if (export is null)
                {
                    return;
                }

                tracing.AddHttpClientInstrumentation();
                if (settings.DatabaseCommands)
                {
                    tracing.AddNpgsql();
                }

                tracing.AddOtlpExporter(otlp =>
                {
                    otlp.Endpoint = export;
                    otlp.Protocol = settings.IsHttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                });
            });

        return builder;
    }

    /// <summary>Health probes and metric scrapes would each be a trace of their own, every few seconds, saying nothing about jobs.</summary>
    private static bool IsTraced(HttpContext context)
    {
        var path = context.Request.Path;
        return !path.StartsWithSegments("/health") && !path.StartsWithSegments("/metrics");
    }

    private static TracingOptions Peek(IHostApplicationBuilder builder)
    {
        var settings = new TracingOptions();
        try
        {
            SettingsBinder.Bind(builder.Configuration, TracingOptions.SectionName, settings);
        }
        catch (OptionsValidationException)
        {
            return new TracingOptions();
        }

        return settings.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(settings)).Any() ? new TracingOptions() : settings;
    }
}
