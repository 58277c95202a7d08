using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Api.Status;
using BrowserAutomation.Api.Workers;
using BrowserAutomation.Automation;
using BrowserAutomation.Hosting;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Networking;
using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Persistence.Security;
using BrowserAutomation.Worker;
using Microsoft.Extensions.Configuration;

namespace BrowserAutomation.UnitTests.Hosting;

/// <summary>The one table of environment variables: every key it names exists, and the mapped layer matches the binder.</summary>
public sealed class EnvironmentMappingTests
{
    private static readonly Dictionary<string, Type> OptionsBySection = new()
    {
        [DatabaseOptions.SectionName] = typeof(DatabaseOptions),
        [RabbitMqOptions.SectionName] = typeof(RabbitMqOptions),
        [OutboxOptions.SectionName] = typeof(OutboxOptions),
        [JobLifecycleOptions.SectionName] = typeof(JobLifecycleOptions),
        [WorkerOptions.SectionName] = typeof(WorkerOptions),
        [WorkerLivenessOptions.SectionName] = typeof(WorkerLivenessOptions),
        [ServedEnginesOptions.SectionName] = typeof(ServedEnginesOptions),
        [BrowserOptions.SectionName] = typeof(BrowserOptions),
        [UrlPolicyOptions.SectionName] = typeof(UrlPolicyOptions),
        [RequestLimitsOptions.SectionName] = typeof(RequestLimitsOptions),
        [SecretsOptions.SectionName] = typeof(SecretsOptions),
        [AuthOptions.SectionName] = typeof(AuthOptions),
        [RateLimitOptions.SectionName] = typeof(RateLimitOptions),
        [SubmissionLimitsOptions.SectionName] = typeof(SubmissionLimitsOptions),
        [TracingOptions.SectionName] = typeof(TracingOptions),
        [BrowserAutomation.Api.Webhooks.WebhookOptions.SectionName] = typeof(BrowserAutomation.Api.Webhooks.WebhookOptions),
        [LogOutputOptions.SectionName] = typeof(LogOutputOptions),
        [LogLevelOptions.SectionName] = typeof(LogLevelOptions),
        [BrowserAutomation.Hosting.Observability.MetricsOptions.SectionName] = typeof(BrowserAutomation.Hosting.Observability.MetricsOptions),
        [LiveStatusOptions.SectionName] = typeof(LiveStatusOptions),
        [BrowserAutomation.Api.Infrastructure.LookupCacheOptions.SectionName] = typeof(BrowserAutomation.Api.Infrastructure.LookupCacheOptions),
        [SimulatedEngineOptions.SectionName] = typeof(SimulatedEngineOptions),
        // Artifact storage and retention
        [BrowserAutomation.Persistence.Artifacts.ArtifactStorageOptions.SectionName] = typeof(BrowserAutomation.Persistence.Artifacts.ArtifactStorageOptions),
        [BrowserAutomation.Api.Artifacts.RetentionOptions.SectionName] = typeof(BrowserAutomation.Api.Artifacts.RetentionOptions),
    };

    [Fact]
    public void Every_mapped_key_is_a_settable_property_of_an_options_class()
    {
        foreach (var variable in EnvironmentMapping.Variables)
        {
            var separator = variable.Key.LastIndexOf(':');
            Assert.True(OptionsBySection.TryGetValue(variable.Key[..separator], out var type), $"{variable.Name}: no options class for {variable.Key}");
            var property = type.GetProperty(variable.Key[(separator + 1)..]);
            Assert.True(property?.SetMethod?.IsPublic == true, $"{variable.Name}: {type.Name} has no settable {variable.Key}");
        }
    }

    [Fact]
    public void The_mapped_layer_splits_lists_into_indexed_entries_and_keeps_each_rows_precedence()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["URL_ALLOWED_HOSTS"] = "a.test, *.b.test",
            ["CHROMIUM_EXECUTABLE_PATH"] = "/from/env",
            ["Browser:ChromiumExecutablePath"] = "/from/section",
            ["WORKER_STALE_AFTER_MS"] = "3000",
            ["Workers:StaleAfterMs"] = "4000",
        });
        configuration.AddEnvironmentVariableMapping();

        Assert.Equal("a.test", configuration["UrlPolicy:AllowedHosts:0"]);
        Assert.Equal("*.b.test", configuration["UrlPolicy:AllowedHosts:1"]);
        Assert.Equal("/from/env", configuration["Browser:ChromiumExecutablePath"]);
        Assert.Equal("4000", configuration["Workers:StaleAfterMs"]);
        Assert.Equal(["a.test", "*.b.test"], configuration.GetSection("UrlPolicy").Get<UrlPolicyOptions>()!.AllowedHosts);
    }
}
