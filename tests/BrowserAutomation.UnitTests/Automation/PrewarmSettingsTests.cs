using BrowserAutomation.Automation;
using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence;
using BrowserAutomation.Worker.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Automation;

/// <summary>WORKER_PREWARM_CONTEXTS: bound, bounded, and the worker's job slots reach the pool.</summary>
public sealed class PrewarmSettingsTests
{
    private const string SecretsKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    [Theory]
    [InlineData("17", "WORKER_PREWARM_CONTEXTS (Browser:PrewarmContexts) must be between 0 and 16, not 17.")]
    [InlineData("two", "WORKER_PREWARM_CONTEXTS (Browser:PrewarmContexts) must be an integer, not 'two'.")]
    public void A_bad_value_stops_the_worker_naming_the_variable(string value, string expected)
    {
        using var provider = Build(new() { ["WORKER_PREWARM_CONTEXTS"] = value });
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var message = error is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message)) : error.Message;
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_count_is_bound_and_the_worker_concurrency_becomes_the_pools_job_slots()
    {
        using var provider = Build(new() { ["WORKER_PREWARM_CONTEXTS"] = "0", ["WORKER_MAX_CONCURRENT_JOBS"] = "7" });
        var options = provider.GetRequiredService<IOptions<BrowserOptions>>().Value;
        Assert.Equal(0, options.PrewarmContexts);
        Assert.Equal(7, options.JobSlots);
        Assert.Equal(2, new BrowserOptions().PrewarmContexts);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        settings.TryAdd("SECRETS_ENCRYPTION_KEY", SecretsKey);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariableMapping();
        builder.AddAutomationPersistence();
        builder.AddJobExecution();
        return builder.Services.BuildServiceProvider();
    }
}
