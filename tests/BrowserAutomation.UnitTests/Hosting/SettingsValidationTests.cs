using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Api.Workers;
using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Persistence;
using BrowserAutomation.Worker.Jobs;
using BrowserAutomation.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Hosting;

/// <summary>A bad setting stops start-up with a message naming its environment variable (what the hosts' start-up validation runs).</summary>
public sealed class SettingsValidationTests
{
    private const string SecretsKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    [Theory]
    [InlineData("WORKER_MAX_CONCURRENT_JOBS", "0", "WORKER_MAX_CONCURRENT_JOBS (Worker:MaxConcurrentJobs) must be between 1 and 100, not 0.")]
    [InlineData("WORKER_MAX_CONCURRENT_JOBS", "four", "WORKER_MAX_CONCURRENT_JOBS (Worker:MaxConcurrentJobs) must be an integer, not 'four'.")]
    [InlineData("WORKER_HTTP_PORT", "70000", "WORKER_HTTP_PORT (Worker:HttpPort) must be between 1 and 65535, not 70000.")]
    [InlineData("WORKER_HEARTBEAT_INTERVAL_MS", "10", "WORKER_HEARTBEAT_INTERVAL_MS (Worker:HeartbeatIntervalMs) must be between 200 and 60000, not 10.")]
    [InlineData("DB_PORT", "70000", "DB_PORT (Database:Port) must be between 1 and 65535, not 70000.")]
    [InlineData("OUTBOX_POLL_INTERVAL_MS", "soon", "OUTBOX_POLL_INTERVAL_MS (Outbox:PollIntervalMs) must be an integer, not 'soon'.")]
    [InlineData("OUTBOX_HANDOFF_LEASE_MS", "500", "OUTBOX_HANDOFF_LEASE_MS (Outbox:HandOffLeaseMs) must be between 1000 and 600000, not 500.")]
    [InlineData("OUTBOX_HANDOFF_LEASE_MS", "5000", "OUTBOX_HANDOFF_LEASE_MS (Outbox:HandOffLeaseMs, 5000) must be longer than the send timeout")]
    [InlineData("MAX_JOB_RETRIES", "11", "MAX_JOB_RETRIES (Jobs:MaxRetries) must be between 0 and 10, not 11.")]
    [InlineData("BROWSER_POOL_MAX_SIZE", "0", "BROWSER_POOL_MAX_SIZE (Browser:MaxBrowsers) must be between 1 and 64, not 0.")]
    [InlineData("WORKER_ENGINES", "chromium,safari", "WORKER_ENGINES: unknown engine 'safari'")]
    [InlineData("WORKER_DRAIN_TIMEOUT_MS", "-1", "WORKER_DRAIN_TIMEOUT_MS (Worker:DrainTimeoutMs) must be between 0 and 3600000, not -1.")]
    [InlineData("URL_DENIED_NETWORKS", "10.0.0.1/8", "URL_DENIED_NETWORKS (UrlPolicy:DeniedNetworks): '10.0.0.1/8' is not")]
    [InlineData("SIMULATED_ENGINE_DELAY_MS", "-1", "SIMULATED_ENGINE_DELAY_MS (SimulatedEngine:DelayMs) must be between 0 and 600000, not -1.")]
    [InlineData("SIMULATED_ENGINE_ENABLED", "maybe", "SIMULATED_ENGINE_ENABLED (SimulatedEngine:Enabled) must be true or false, not 'maybe'.")]
    public void A_bad_worker_setting_stops_the_worker_naming_the_variable(string variable, string value, string expected)
    {
        var message = StartupError(new() { [variable] = value }, static builder =>
        {
            builder.AddAutomationPersistence();
            builder.AddJobExecution();
        });

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WORKER_STALE_AFTER_MS", "10", "WORKER_STALE_AFTER_MS (Workers:StaleAfterMs) must be between 100 and 86400000, not 10.")]
    [InlineData("WORKER_STALE_AFTER_MS", "3s", "WORKER_STALE_AFTER_MS (Workers:StaleAfterMs) must be an integer, not '3s'.")]
    [InlineData("SERVED_ENGINES", "chromium,safari", "SERVED_ENGINES: unknown engine 'safari'")]
    [InlineData("SERVED_ENGINES", " , ", "SERVED_ENGINES names no engine")]
    [InlineData("EVALUATE_ENABLED", "sometimes", "EVALUATE_ENABLED (Jobs:EvaluateEnabled) must be true or false, not 'sometimes'.")]
    [InlineData("RATE_LIMIT_MAX", "0", "RATE_LIMIT_MAX (RateLimit:Max) must be between 1 and 2147483647, not 0.")]
    [InlineData("READ_RATE_LIMIT_MAX", "0", "READ_RATE_LIMIT_MAX (RateLimit:ReadMax) must be between 1 and 2147483647, not 0.")]
    [InlineData("LOOKUP_CACHE_MAX_AGE_MS", "-1", "LOOKUP_CACHE_MAX_AGE_MS (LookupCache:MaxAgeMs) must be between 0 and 600000, not -1.")]
    [InlineData("READ_RATE_LIMIT_WINDOW_MS", "5", "READ_RATE_LIMIT_WINDOW_MS (RateLimit:ReadWindowMs) must be between 100 and 86400000, not 5.")]
    [InlineData("API_KEY_HEADER", "X Key", "API_KEY_HEADER (Auth:HeaderName)")]
    [InlineData("REQUEST_MAX_BODY_BYTES", "0", "REQUEST_MAX_BODY_BYTES (Kestrel:Limits:MaxRequestBodySize) must be between 1 and")]
    [InlineData("SECRETS_ENCRYPTION_KEY", "short", "SECRETS_ENCRYPTION_KEY must be 32 bytes in base64")]
    [InlineData("URL_ALLOWED_HOSTS", "bad host!", "URL_ALLOWED_HOSTS (UrlPolicy:AllowedHosts): 'bad host!' is not")]
    [InlineData("QUEUE_MAX_DEPTH_PER_ENGINE", "-1", "QUEUE_MAX_DEPTH_PER_ENGINE (Limits:QueueMaxDepthPerEngine) must be between 1 and 10000000, not -1.")]
    public void A_bad_api_setting_stops_the_api_naming_the_variable(string variable, string value, string expected)
    {
        var message = StartupError(new() { [variable] = value }, static builder =>
        {
            builder.AddAutomationPersistence();
            builder.AddApiSecurity();
            builder.AddWorkerLiveness();
            builder.AddJobSubmission();
            builder.AddProblemResponses();
        });

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Good_settings_start_and_reach_the_services()
    {
        using var provider = Build(new()
        {
            ["WORKER_STALE_AFTER_MS"] = "3000",
            ["EVALUATE_ENABLED"] = "1",
            ["WORKER_MAX_CONCURRENT_JOBS"] = "8",
            ["WORKER_ENGINES"] = "chromium, Firefox",
        }, static builder =>
        {
            builder.AddAutomationPersistence();
            builder.AddWorkerLiveness();
            builder.AddJobExecution();
        });

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.True(provider.GetRequiredService<IOptions<JobLifecycleOptions>>().Value.EvaluateEnabled);
        Assert.Equal(3000, provider.GetRequiredService<IOptions<WorkerLivenessOptions>>().Value.StaleAfterMs);
        Assert.InRange(provider.GetRequiredService<WorkerLiveness>().Cutoff, DateTime.UtcNow.AddSeconds(-4), DateTime.UtcNow.AddSeconds(-2));
        var worker = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
        Assert.Equal(8, worker.MaxConcurrentJobs);
        Assert.Equal(["chromium", "firefox"], worker.EngineList);
    }

    [Fact]
    public void Sectioned_keys_win_over_the_flat_variables()
    {
        using var provider = Build(new() { ["WORKER_STALE_AFTER_MS"] = "3000", ["Workers:StaleAfterMs"] = "4000" },
            static builder => builder.AddWorkerLiveness());

        Assert.Equal(4000, provider.GetRequiredService<IOptions<WorkerLivenessOptions>>().Value.StaleAfterMs);
    }

    private static string StartupError(Dictionary<string, string?> settings, Action<IHostApplicationBuilder> add)
    {
        using var provider = Build(settings, add);
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        return error is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message)) : error.Message;
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IHostApplicationBuilder> add)
    {
        // No default sources: the test process's own environment (DB_*, RABBITMQ_* ...) must not leak in.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        settings.TryAdd("SECRETS_ENCRYPTION_KEY", SecretsKey);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariableMapping();
        add(builder);
        return builder.Services.BuildServiceProvider();
    }
}
