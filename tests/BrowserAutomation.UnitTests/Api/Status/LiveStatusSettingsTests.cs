using BrowserAutomation.Api.Status;
using BrowserAutomation.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Api.Status;

/// <summary>The live status settings: bad values stop the API naming the variable; resume positions parse strictly.</summary>
public sealed class LiveStatusSettingsTests
{
    [Theory]
    [InlineData("JOB_EVENTS_RETENTION_HOURS", "0", "JOB_EVENTS_RETENTION_HOURS (LiveStatus:EventRetentionHours) must be between 1 and 8760, not 0.")]
    [InlineData("WS_KEEPALIVE_SECONDS", "often", "WS_KEEPALIVE_SECONDS (LiveStatus:WebSocketKeepAliveSeconds) must be an integer, not 'often'.")]
    [InlineData("WS_AUTH_TIMEOUT_SECONDS", "500", "WS_AUTH_TIMEOUT_SECONDS (LiveStatus:WebSocketAuthTimeoutSeconds) must be between 1 and 120, not 500.")]
    public void A_bad_setting_stops_the_api_naming_the_variable(string variable, string value, string expected)
    {
        using var provider = Build(new() { [variable] = value });
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var message = error is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message)) : error.Message;
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Good_settings_reach_the_options()
    {
        using var provider = Build(new() { ["JOB_EVENTS_RETENTION_HOURS"] = "48", ["WS_KEEPALIVE_SECONDS"] = "5" });
        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<LiveStatusOptions>>().Value;
        Assert.Equal(48, options.EventRetentionHours);
        Assert.Equal(5, options.WebSocketKeepAliveSeconds);
        Assert.Equal(10, options.WebSocketAuthTimeoutSeconds);
    }

    [Theory]
    [InlineData(null, true, null)]
    [InlineData("", true, null)]
    [InlineData("0", true, 0L)]
    [InlineData(" 42 ", true, 42L)]
    [InlineData("-1", false, null)]
    [InlineData("1e3", false, null)]
    [InlineData("abc", false, null)]
    public void A_resume_position_is_a_whole_number_or_absent(string? text, bool valid, long? expected)
    {
        Assert.Equal(valid, JobEventFeed.TryParseLastEventId(text, out var parsed));
        Assert.Equal(expected, parsed);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariableMapping();
        builder.AddLiveStatus();
        return builder.Services.BuildServiceProvider();
    }
}
