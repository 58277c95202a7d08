using BrowserAutomation.Hosting;
using BrowserAutomation.Hosting.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Hosting;

/// <summary>ENABLE_METRICS and METRICS_PORT: a bad value stops start-up naming the variable; the metrics port's address.</summary>
public sealed class MetricsSettingsTests
{
    [Theory]
    [InlineData("METRICS_PORT", "0", "METRICS_PORT (Metrics:Port) must be between 1 and 65535, not 0.")]
    [InlineData("METRICS_PORT", "70000", "METRICS_PORT (Metrics:Port) must be between 1 and 65535, not 70000.")]
    [InlineData("METRICS_PORT", "nine", "METRICS_PORT (Metrics:Port) must be an integer, not 'nine'.")]
    [InlineData("ENABLE_METRICS", "maybe", "ENABLE_METRICS (Metrics:Enabled) must be true or false, not 'maybe'.")]
    public void A_bad_metrics_setting_stops_start_up_naming_the_variable(string variable, string value, string expected)
    {
        using var provider = Build(new() { [variable] = value });
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var message = error is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message)) : error.Message;
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, true, null)]
    [InlineData("false", "9464", false, 9464)]
    [InlineData("0", null, false, null)]
    [InlineData("true", "9100", true, 9100)]
    public void Good_values_bind(string? enabled, string? port, bool expectedEnabled, int? expectedPort)
    {
        var settings = new Dictionary<string, string?> { ["ENABLE_METRICS"] = enabled, ["METRICS_PORT"] = port };
        using var provider = Build(settings);
        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<MetricsOptions>>().Value;
        Assert.Equal(expectedEnabled, options.Enabled);
        Assert.Equal(expectedPort, options.Port);
        Assert.Equal(expectedEnabled, provider.GetService<MetricsPipeline>() is not null);
    }

    [Fact]
    public void Disabled_metrics_register_no_pipeline_and_enabled_ones_do()
    {
        Assert.False(MetricsHostExtensions.IsMetricsEnabled(Configuration(new() { ["ENABLE_METRICS"] = "false" })));
        Assert.True(MetricsHostExtensions.IsMetricsEnabled(Configuration(new())));
        Assert.True(MetricsHostExtensions.IsMetricsEnabled(Configuration(new() { ["Metrics:Enabled"] = "true" })));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", 9464, "http://127.0.0.1:5000;http://127.0.0.1:9464")]
    [InlineData("http://localhost:8080;http://10.0.0.5:8080", 9464, "http://localhost:8080;http://10.0.0.5:8080;http://localhost:9464")]
    [InlineData("http://0.0.0.0:3001", 9465, "http://0.0.0.0:3001;http://0.0.0.0:9465")]
    [InlineData("http://+:80", 9464, "http://+:80;http://+:9464")]
    [InlineData(null, 9464, "http://localhost:5000;http://localhost:9464")]
    public void The_metrics_port_listens_on_the_host_of_the_main_address(string? urls, int port, string expected) =>
        Assert.Equal(expected, MetricsListenAddress.WithMetricsPort(urls, port));

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        // No default sources: the test process's own environment must not leak in.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariableMapping();
        builder.AddAutomationMetrics("test");
        return builder.Services.BuildServiceProvider();
    }
}
