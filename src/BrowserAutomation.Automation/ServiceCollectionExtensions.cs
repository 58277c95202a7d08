using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Hosting;
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
        // Both bound through the deployment's variables (BROWSER_*, PLAYWRIGHT_*, URL_* ...; see EnvironmentMapping).
        services.AddOptions<BrowserOptions>().BindSettings(BrowserOptions.SectionName, configuration);
        services.AddOptions<UrlPolicyOptions>().BindSettings(UrlPolicyOptions.SectionName, configuration);
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
}
