using System.Text;
using BrowserAutomation.Automation.Pool;

namespace BrowserAutomation.IntegrationTests.Automation.Pool;

/// <summary>The Playwright driver runs with a heap cap (PLAYWRIGHT_DRIVER_MAX_HEAP_MB), which keeps its memory flat over many jobs.</summary>
public sealed class DriverHeapTests(ChromiumPoolFixture fixture) : IClassFixture<ChromiumPoolFixture>
{
    [Fact]
    public async Task The_driver_is_started_with_the_configured_heap_cap_and_our_environment_is_left_as_it_was()
    {
        var group = await BrowserProcesses.AnyBrowserAsync(fixture.Pool, fixture.Engine, fixture.Executable);
        var driver = BrowserProcesses.DriverOf(group.Main!.Value.Pid);

        var environment = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"/proc/{driver}/environ")).Split('\0');
        var nodeOptions = Assert.Single(environment, static e => e.StartsWith("NODE_OPTIONS=", StringComparison.Ordinal));
        Assert.Contains($"--max-old-space-size={fixture.Options.DriverMaxHeapMb}", nodeOptions, StringComparison.Ordinal);
        Assert.Contains("--max-semi-space-size=2", nodeOptions, StringComparison.Ordinal);
        Assert.DoesNotContain("--max-old-space-size", Environment.GetEnvironmentVariable("NODE_OPTIONS") ?? string.Empty, StringComparison.Ordinal);
    }
}
