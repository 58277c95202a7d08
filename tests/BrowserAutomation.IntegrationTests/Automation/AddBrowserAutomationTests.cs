using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Automation.Pool;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.IntegrationTests.Automation;

public sealed class AddBrowserAutomationTests
{
    [Fact]
    public async Task Defaults_to_headless_chromium_from_debian_paths()
    {
        var options = await ResolveAsync([]);

        Assert.Equal(["chromium"], options.ResolveEngines());
        Assert.Equal("/usr/lib/chromium/chromium-headless-shell", options.ChromiumExecutablePath);
        Assert.Equal("/usr/lib/firefox-esr/firefox-esr", options.FirefoxExecutablePath);
        Assert.True(options.Headless);
        Assert.False(options.UseBundledBrowsers);
        Assert.Equal((1, 5, 4, 100, 300_000), (options.MinBrowsers, options.MaxBrowsers, options.ContextsPerBrowser, options.MaxPagesPerBrowser, options.IdleTimeoutMs));
        Assert.Equal(5_000, options.TargetTimeoutMs);
        Assert.False(options.EvaluateEnabled);
    }

    [Fact]
    public async Task Pool_settings_come_from_the_environment_variables()
    {
        var options = await ResolveAsync(new()
        {
            ["BROWSER_POOL_MIN_SIZE"] = "2",
            ["BROWSER_POOL_MAX_SIZE"] = "3",
            ["BROWSER_MAX_CONTEXTS_PER_BROWSER"] = "6",
            ["BROWSER_MAX_PAGES_PER_BROWSER"] = "50",
            ["BROWSER_IDLE_TIMEOUT_MS"] = "60000",
            ["BROWSER_TARGET_TIMEOUT_MS"] = "2500",
            ["EVALUATE_ENABLED"] = "true",
        });

        Assert.Equal((2, 3, 6, 50, 60_000), (options.MinBrowsers, options.MaxBrowsers, options.ContextsPerBrowser, options.MaxPagesPerBrowser, options.IdleTimeoutMs));
        Assert.Equal(2_500, options.TargetTimeoutMs);
        Assert.True(options.EvaluateEnabled);
    }

    [Fact]
    public async Task Environment_variables_override_the_section()
    {
        var options = await ResolveAsync(new()
        {
            ["Browser:Engines:0"] = "firefox",
            ["Browser:ChromiumExecutablePath"] = "/from/section",
            ["CHROMIUM_EXECUTABLE_PATH"] = "/from/env/chromium",
            ["FIREFOX_EXECUTABLE_PATH"] = "/from/env/firefox",
            ["PLAYWRIGHT_HEADLESS"] = "false",
            ["BROWSER_USE_BUNDLED"] = "true",
            ["WORKER_ENGINES"] = " chromium, Firefox ,",
        });

        Assert.Equal(["chromium", "firefox"], options.ResolveEngines());
        Assert.Equal("/from/env/chromium", options.ChromiumExecutablePath);
        Assert.Equal("/from/env/firefox", options.FirefoxExecutablePath);
        Assert.False(options.Headless);
        Assert.True(options.UseBundledBrowsers);
    }

    [Theory]
    [InlineData("WORKER_ENGINES", "chromium,safari")]
    [InlineData("WORKER_ENGINES", "webkit")]
    [InlineData("PLAYWRIGHT_HEADLESS", "maybe")]
    [InlineData("Browser:LaunchTimeoutMs", "5")]
    [InlineData("BROWSER_POOL_MAX_SIZE", "0")]
    [InlineData("BROWSER_POOL_MIN_SIZE", "9")]
    [InlineData("BROWSER_MAX_PAGES_PER_BROWSER", "many")]
    [InlineData("EVALUATE_ENABLED", "sometimes")]
    public async Task Invalid_settings_fail_validation(string key, string value)
    {
        await Assert.ThrowsAsync<OptionsValidationException>(() => ResolveAsync(new() { [key] = value }));
    }

    [Fact]
    public void Registers_the_pool_its_hosted_service_and_the_executor()
    {
        var services = new ServiceCollection();
        services.AddBrowserAutomation(new ConfigurationBuilder().Build());

        Assert.Contains(services, d => d.ServiceType == typeof(BrowserPool) && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Contains(services, d => d.ServiceType == typeof(IJobExecutor) && d.ImplementationType == typeof(JobExecutor));
        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "BrowserPoolHostedService");
    }

    private static async Task<BrowserOptions> ResolveAsync(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddBrowserAutomation(configuration);
        await using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<BrowserOptions>>().Value;
    }
}
