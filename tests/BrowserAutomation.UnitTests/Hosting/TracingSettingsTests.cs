using BrowserAutomation.Hosting;
using BrowserAutomation.Hosting.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Hosting;

/// <summary>The OTel settings: a bad one stops the host at start naming its variable; good ones say where spans go.</summary>
public sealed class TracingSettingsTests
{
    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4317", "OTEL_EXPORTER_OTLP_ENDPOINT (Tracing:OtlpEndpoint) must be an absolute http:// or https:// URL")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http//collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT (Tracing:OtlpEndpoint) must be an absolute http:// or https:// URL")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "ftp://collector/v1/traces", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (Tracing:OtlpTracesEndpoint) must be an absolute")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", "OTEL_EXPORTER_OTLP_PROTOCOL (Tracing:OtlpProtocol) must be grpc or http/protobuf, not 'http/json'.")]
    [InlineData("OTEL_TRACES_SAMPLER", "sometimes", "OTEL_TRACES_SAMPLER (Tracing:Sampler) must be one of always_on, always_off")]
    [InlineData("OTEL_TRACES_SAMPLER_ARG", "2", "OTEL_TRACES_SAMPLER_ARG (Tracing:SamplerArg) must be between 0 and 1, not 2.")]
    [InlineData("OTEL_TRACES_SAMPLER_ARG", "half", "OTEL_TRACES_SAMPLER_ARG (Tracing:SamplerArg) must be a number, not 'half'.")]
    public void A_bad_tracing_setting_stops_the_host_naming_the_variable(string variable, string value, string expected)
    {
        using var provider = Build(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317", [variable] = value });

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var message = error is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message)) : error.Message;
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grpc", null, "http://127.0.0.1:4317/")]
    [InlineData("http/protobuf", null, "http://127.0.0.1:4317/v1/traces")]
    [InlineData("HTTP/PROTOBUF", null, "http://127.0.0.1:4317/v1/traces")]
    [InlineData("http/protobuf", "https://traces.test/custom/path", "https://traces.test/custom/path")]
    public void Good_settings_name_where_spans_go(string protocol, string? tracesEndpoint, string expected)
    {
        using var provider = Build(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = tracesEndpoint,
            ["OTEL_SERVICE_NAME"] = "renamed",
            ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = "0.25",
        });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<TracingOptions>>().Value;
        Assert.Equal(new Uri(expected), options.ExportUri);
        Assert.Equal("renamed", options.ServiceName);
        Assert.Equal(0.25, options.SamplerArg);
    }

    [Fact]
    public void Without_an_endpoint_nothing_is_exported_and_the_settings_are_valid()
    {
        using var provider = Build([]);

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Null(provider.GetRequiredService<IOptions<TracingOptions>>().Value.ExportUri);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        // No default sources: the test process's own environment must not leak in.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariableMapping();
        builder.AddAutomationTracing("test-service");
        return builder.Services.BuildServiceProvider();
    }
}
