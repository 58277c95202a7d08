using BrowserAutomation.Api.Webhooks;
using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Api.Webhooks;

/// <summary>A bad WEBHOOK_* setting stops the API at start with a message naming the variable.</summary>
public sealed class WebhookSettingsTests
{
    [Theory]
    [InlineData("WEBHOOK_TIMEOUT_MS", "10", "WEBHOOK_TIMEOUT_MS (Webhooks:TimeoutMs) must be between 100 and 120000, not 10.")]
    [InlineData("WEBHOOK_MAX_AGE_MS", "a day", "WEBHOOK_MAX_AGE_MS (Webhooks:MaxAgeMs) must be an integer, not 'a day'.")]
    [InlineData("WEBHOOK_RETRY_MAX_DELAY_MS", "20", "WEBHOOK_RETRY_MAX_DELAY_MS (Webhooks:RetryMaxDelayMs) must not be below")]
    [InlineData("WEBHOOK_BUS_SIGNING_SECRET", "plain-text", "WEBHOOK_BUS_SIGNING_SECRET (Webhooks:BusSigningSecret): must be whsec_")]
    [InlineData("WEBHOOK_DISPATCHER_ENABLED", "maybe", "WEBHOOK_DISPATCHER_ENABLED (Webhooks:DispatcherEnabled) must be true or false")]
    public void A_bad_webhook_setting_stops_the_api_naming_the_variable(string variable, string value, string expected)
    {
        using var provider = Build(new() { [variable] = value });
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var message = error is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message)) : error.Message;

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Good_settings_reach_the_options()
    {
        using var provider = Build(new()
        {
            ["WEBHOOK_MAX_AGE_MS"] = "60000",
            ["WEBHOOK_TIMEOUT_MS"] = "2000",
            ["WEBHOOK_RETRY_BASE_DELAY_MS"] = "100",
            ["WEBHOOK_RETRY_MAX_DELAY_MS"] = "1000",
            ["WEBHOOK_BUS_SIGNING_SECRET"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<WebhookOptions>>().Value;
        Assert.Equal((60000, 2000, 100, 1000), (options.MaxAgeMs, options.TimeoutMs, options.RetryBaseDelayMs, options.RetryMaxDelayMs));
        Assert.Equal("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", options.BusSigningSecret);
    }

    [Fact]
    public void Retry_delays_double_stay_under_the_cap_and_are_jittered()
    {
        using var provider = Build(new() { ["WEBHOOK_RETRY_BASE_DELAY_MS"] = "1000", ["WEBHOOK_RETRY_MAX_DELAY_MS"] = "8000" });
        var dispatcher = provider.GetRequiredService<WebhookDispatcher>();

        Assert.InRange(dispatcher.RetryDelay(1).TotalMilliseconds, 500, 1000);
        Assert.InRange(dispatcher.RetryDelay(3).TotalMilliseconds, 2000, 4000);
        Assert.InRange(dispatcher.RetryDelay(30).TotalMilliseconds, 4000, 8000);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        settings.TryAdd("SECRETS_ENCRYPTION_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariableMapping();
        builder.AddAutomationPersistence();
        builder.Services.AddSingleton(new BrowserAutomation.Networking.UrlPolicy(new BrowserAutomation.Networking.UrlPolicyOptions()));
        builder.AddWebhooks();
        return builder.Services.BuildServiceProvider();
    }
}
