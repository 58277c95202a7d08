using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

        services.TryAddSingleton<BrowserPool>();
        services.AddHostedService<BrowserPoolHostedService>();
        services.TryAddSingleton<IJobExecutor, JobExecutor>();
        return services;
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
    }

    private static bool ParseBoolean(string key, string value) => value.Trim() switch
    {
        var v when bool.TryParse(v, out bool parsed) => parsed,
        "1" => true,
        "0" => false,
        _ => throw new OptionsValidationException(
            Options.DefaultName, typeof(BrowserOptions), [$"{key} must be true or false, not '{value}'."]),
    };
}
