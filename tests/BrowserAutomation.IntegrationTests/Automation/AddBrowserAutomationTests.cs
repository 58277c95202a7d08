using BrowserAutomation.Automation;
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
        BrowserOptions options = await ResolveAsync([]);

        Assert.Equal(["chromium"], options.ResolveEngines());
        Assert.Equal("/usr/lib/chromium/chromium-headless-shell", options.ChromiumExecutablePath);
        Assert.Equal("/usr/lib/firefox-esr/firefox-esr", options.FirefoxExecutablePath);
        Assert.True(options.Headless);
        Assert.False(options.UseBundledBrowsers);
    }

    [Fact]
    public async Task Environment_variables_override_the_section()
    {
        BrowserOptions options = await ResolveAsync(new()
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
        await using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<BrowserOptions>>().Value;
    }
}
