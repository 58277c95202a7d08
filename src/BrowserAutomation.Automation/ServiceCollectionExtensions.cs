using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Networking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Automation;

public static class ServiceCollectionExtensions
{
    /// <summary>The browser pool (launched at start, closed at stop), its options and the job executor.</summary>
    public static IServiceCollection AddBrowserAutomation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BrowserOptions>()
            .BindConfiguration(BrowserOptions.SectionName)
            .PostConfigure(options => ApplyEnvironment(options, configuration))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<UrlPolicyOptions>()
            .BindConfiguration(UrlPolicyOptions.SectionName)
            .PostConfigure(options => options.ApplyFlatSettings(key => configuration[key]))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(static sp => new UrlPolicy(sp.GetRequiredService<IOptions<UrlPolicyOptions>>().Value));
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddSingleton(static sp => CreateEgressProxy(sp));

        services.TryAddSingleton<BrowserPool>();
        services.AddHostedService<BrowserPoolHostedService>();
        services.TryAddSingleton<IJobExecutor, JobExecutor>();
        return services;
    }

    /// <summary>The worker's egress proxy, its refusals and failures logged (the container disposes it).</summary>
    private static EgressProxy CreateEgressProxy(IServiceProvider services)
    {
        var proxy = new EgressProxy(services.GetRequiredService<UrlPolicy>(), services.GetRequiredService<IHostResolver>());
        ILogger logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<EgressProxy>();
        proxy.Refused += (_, refusal) => logger.LogWarning("Egress proxy refused {Target}: {Reason}", refusal.Target, refusal.Reason);
        proxy.Failed += (_, message) => logger.LogDebug("Egress proxy: {Message}", message);
        return proxy;
    }

    // The deployment's environment variables win over the "Browser" section.
    private static void ApplyEnvironment(BrowserOptions options, IConfiguration configuration)
    {
        if (configuration["CHROMIUM_EXECUTABLE_PATH"] is { Length: > 0 } chromium)
        {
            options.ChromiumExecutablePath = chromium;
        }

        if (configuration["FIREFOX_EXECUTABLE_PATH"] is { Length: > 0 } firefox)
        {
            options.FirefoxExecutablePath = firefox;
        }

        if (configuration["PLAYWRIGHT_HEADLESS"] is { Length: > 0 } headless)
        {
            options.Headless = ParseBoolean("PLAYWRIGHT_HEADLESS", headless);
        }

        if (configuration["BROWSER_USE_BUNDLED"] is { Length: > 0 } bundled)
        {
            options.UseBundledBrowsers = ParseBoolean("BROWSER_USE_BUNDLED", bundled);
        }

        if (configuration["WORKER_ENGINES"] is { Length: > 0 } engines)
        {
            options.Engines = engines.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        }

        ApplyInteger(configuration, "BROWSER_POOL_MIN_SIZE", value => options.MinBrowsers = value);
        ApplyInteger(configuration, "BROWSER_POOL_MAX_SIZE", value => options.MaxBrowsers = value);
        ApplyInteger(configuration, "BROWSER_MAX_CONTEXTS_PER_BROWSER", value => options.ContextsPerBrowser = value);
        ApplyInteger(configuration, "BROWSER_MAX_PAGES_PER_BROWSER", value => options.MaxPagesPerBrowser = value);
        ApplyInteger(configuration, "BROWSER_IDLE_TIMEOUT_MS", value => options.IdleTimeoutMs = value);
        ApplyInteger(configuration, "BROWSER_TARGET_TIMEOUT_MS", value => options.TargetTimeoutMs = value);
        ApplyInteger(configuration, "MAX_ARTIFACT_SIZE_MB", value => options.MaxArtifactSizeMb = value);
        ApplyInteger(configuration, "PLAYWRIGHT_DRIVER_MAX_HEAP_MB", value => options.DriverMaxHeapMb = value);
        ApplyInteger(configuration, "MAX_JOB_ARTIFACTS_SIZE_MB", value => options.MaxJobArtifactsSizeMb = value);
        if (configuration["EVALUATE_ENABLED"] is { Length: > 0 } evaluate)
        {
            options.EvaluateEnabled = ParseBoolean("EVALUATE_ENABLED", evaluate);
        }
    }

    private static void ApplyInteger(IConfiguration configuration, string key, Action<int> apply)
    {
        if (configuration[key] is not { Length: > 0 } value)
        {
            return;
        }

        if (!int.TryParse(value.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(BrowserOptions), [$"{key} must be an integer, not '{value}'."]);
        }

        apply(parsed);
    }

    private static bool ParseBoolean(string key, string value) => value.Trim() switch
    {
        var v when bool.TryParse(v, out var parsed) => parsed,
        "1" => true,
        "0" => false,
        _ => throw new OptionsValidationException(
            Options.DefaultName, typeof(BrowserOptions), [$"{key} must be true or false, not '{value}'."]),
    };
}
