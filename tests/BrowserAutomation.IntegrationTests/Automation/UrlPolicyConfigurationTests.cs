using System.Net;
using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Networking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace BrowserAutomation.IntegrationTests.Automation;

/// <summary>The "UrlPolicy" section and URL_* variables as the worker binds them, and the Chromium flags that leave the browser no resolver.</summary>
public sealed class UrlPolicyConfigurationTests
{
    [Fact]
    public async Task Defaults_allow_nothing_on_loopback_or_private_networks()
    {
        await using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<UrlPolicyOptions>>().Value;
        var policy = provider.GetRequiredService<UrlPolicy>();

        Assert.Empty(options.AllowedNetworks);
        Assert.Empty(options.AllowedHosts);
        Assert.False(policy.CheckUrl("http://127.0.0.1/").Allowed);
        Assert.False(policy.CheckUrl("http://10.0.0.1/").Allowed);
        Assert.False(policy.CheckUrl("http://169.254.169.254/").Allowed);
        Assert.IsType<DnsHostResolver>(provider.GetRequiredService<IHostResolver>());
        Assert.Same(policy, provider.GetRequiredService<EgressProxy>().Policy);
    }

    [Fact]
    public async Task Comma_separated_values_lists_and_flat_variables_all_bind()
    {
        await using var provider = Build(new()
        {
            // What the environment-variable mapping turns URL_ALLOWED_NETWORKS into: one string under the section key.
            ["UrlPolicy:AllowedNetworks"] = "127.0.0.1/32, 10.1.0.0/16",
            ["UrlPolicy:DeniedNetworks:0"] = "8.8.8.0/24",
            ["UrlPolicy:DeniedNetworks:1"] = "1.1.1.1",
            ["URL_ALLOWED_HOSTS"] = "example.com,*.example.org",
            ["URL_DENIED_HOSTS"] = "secret.example.com",
        });

        var options = provider.GetRequiredService<IOptions<UrlPolicyOptions>>().Value;
        var policy = provider.GetRequiredService<UrlPolicy>();

        Assert.Equal(["127.0.0.1/32", "10.1.0.0/16"], options.AllowedNetworks);
        Assert.Equal(["8.8.8.0/24", "1.1.1.1"], options.DeniedNetworks);
        Assert.Equal(["example.com", "*.example.org"], options.AllowedHosts);
        Assert.Equal(["secret.example.com"], options.DeniedHosts);
        // With allowed hosts set, an address must be both an allowed host and in an allowed network to pass by URL.
        Assert.True(policy.CheckAddress(IPAddress.Loopback).Allowed);
        Assert.False(policy.CheckUrl("http://127.0.0.1:3000/").Allowed);
        Assert.True(policy.CheckAddress(IPAddress.Parse("10.1.2.3")).Allowed);
        Assert.False(policy.CheckAddress(IPAddress.Parse("8.8.8.8")).Allowed);
        Assert.False(policy.CheckUrl("http://secret.example.com/").Allowed);
        Assert.False(policy.CheckUrl("http://other.com/").Allowed);
        Assert.True(policy.CheckUrl("http://www.example.org/").Allowed);
    }

    [Theory]
    [InlineData("URL_ALLOWED_NETWORKS", "127.0.0.1/33", "AllowedNetworks")]
    [InlineData("UrlPolicy:DeniedNetworks", "10.0.0.1/8", "DeniedNetworks")]
    [InlineData("URL_ALLOWED_HOSTS", "exa mple.com", "AllowedHosts")]
    public async Task A_bad_entry_stops_the_worker_at_start_with_a_clear_error(string key, string value, string property)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value, ["Browser:MinBrowsers"] = "0" });
        builder.Services.AddBrowserAutomation(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"UrlPolicy:{property}", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chromium_egress_flags_leave_the_browser_no_resolver_but_reach_the_proxy_address()
    {
        // No proxy here on purpose: only the flags. The excluded address (where the proxy listens) is reachable;
        // a name is not resolved at all (without the rules, localhost would reach 127.0.0.1 or the ::1 listener).
        await using var targets = await LoopbackTargets.StartAsync();
        targets.Page("/ok", "<html><head><title>OK</title></head><body>ok</body></html>");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = new BrowserOptions().ChromiumExecutablePath,
            Headless = true,
            Args = EngineLaunchArguments.ChromiumEgressArgs(new IPEndPoint(IPAddress.Loopback, targets.Port)),
        });
        var page = await browser.NewPageAsync();

        await page.GotoAsync($"{targets.AllowedBase}/ok");
        var title = await page.TitleAsync();
        var served = targets.AllowedConnections;
        var refused = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync($"http://localhost:{targets.Port}/ok"));

        Assert.Equal("OK", title);
        Assert.Contains("ERR_NAME_NOT_RESOLVED", refused.Message, StringComparison.Ordinal);
        Assert.Equal(served, targets.AllowedConnections);
        Assert.Equal(0, targets.DeniedConnections);
    }

    [Fact]
    public async Task Control_without_the_egress_flags_webrtc_stun_does_reach_a_udp_listener()
    {
        // Shows that the webrtc-stun case of UrlPolicyTests can see a leak: the same page without the flags sends
        // STUN datagrams straight to 127.0.0.2 (loopback, this test's own listener).
        await using var targets = await LoopbackTargets.StartAsync();
        targets.Page("/rtc", $"<html><head><title>RTC</title></head><body><script>const pc = new RTCPeerConnection({{ iceServers: [{{ urls: 'stun:127.0.0.2:{targets.Port}' }}] }}); pc.createDataChannel('x'); pc.createOffer().then(o => pc.setLocalDescription(o));</script></body></html>");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = new BrowserOptions().ChromiumExecutablePath, Headless = true });
        var page = await browser.NewPageAsync();

        await page.GotoAsync($"{targets.AllowedBase}/rtc");
        await Support.Wait.UntilAsync(() => targets.DeniedConnections > 0, TimeSpan.FromSeconds(10), "a STUN datagram");
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddBrowserAutomation(configuration);
        return services.BuildServiceProvider();
    }
}
