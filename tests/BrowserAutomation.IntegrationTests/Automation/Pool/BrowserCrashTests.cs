using System.Diagnostics;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Contracts;
using Xunit.Abstractions;

namespace BrowserAutomation.IntegrationTests.Automation.Pool;

/// <summary>Kills the pool's browser or its Playwright driver, so each engine's class gets a pool of its own.</summary>
public abstract class BrowserCrashTests(PoolFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killing_the_browser_mid_job_is_browser_crashed_and_leaves_nothing_behind()
    {
        var victim = await BrowserProcesses.AnyBrowserAsync(fixture.Pool, fixture.Engine, fixture.Executable);
        var crashesBefore = fixture.Pool.GetStats()[fixture.Engine].Crashed;
        var id = Guid.NewGuid().ToString();
        var running = fixture.Executor.ExecuteAsync(
            Jobs.For(fixture.Site.Url($"/hang?id={id}"), Jobs.Screenshot()) with { Engine = fixture.Engine }, CancellationToken.None);
        await fixture.Site.WaitForHangRequestAsync(id).WaitAsync(Patience);

        using (var browser = Process.GetProcessById(victim.Main!.Value.Pid))
        {
            browser.Kill();
        }

        var crashed = await running.WaitAsync(Patience);
        Assert.Equal(JobErrorTypes.BrowserCrashed, crashed.ErrorType);
        Assert.DoesNotContain(crashed.Artifacts, a => a.ArtifactType == "failure-screenshot");
        await Wait.UntilAsync(() => BrowserProcesses.IsGone(victim), Patience, "the dead browser's processes and profile folder to go");

        var next = await fixture.Executor.ExecuteAsync(
            Jobs.For(fixture.Site.Url("/page"), Jobs.Screenshot()) with { Engine = fixture.Engine }, CancellationToken.None).WaitAsync(Patience);

        Assert.True(next.Succeeded, next.ErrorMessage);
        Assert.Equal((800, 600), ImageHeaders.PngSize(Assert.Single(next.Artifacts).Data));
        Assert.True(fixture.Pool.Engines[fixture.Engine].Available);
        Assert.Equal(crashesBefore + 1, fixture.Pool.GetStats()[fixture.Engine].Crashed);
        var replacement = await BrowserProcesses.AnyBrowserAsync(fixture.Pool, fixture.Engine, fixture.Executable);
        Assert.NotEqual(victim.Main.Value.Pid, replacement.Main!.Value.Pid);
        output.WriteLine($"crashed job: {crashed.DurationMs} ms; next job, relaunch included: {next.DurationMs} ms");
    }

    [Fact]
    public async Task Killing_the_playwright_driver_leaves_no_browser_process_or_profile_and_the_next_job_succeeds()
    {
        var orphaned = await BrowserProcesses.AnyBrowserAsync(fixture.Pool, fixture.Engine, fixture.Executable);
        var driverPid = BrowserProcesses.DriverOf(orphaned.Main!.Value.Pid);

        using (var driver = Process.GetProcessById(driverPid))
        {
            driver.Kill();
        }

        // The dead driver's private temporary folder (Playwright's artifacts folders with the profiles) goes too.
        var driverFolder = Path.GetDirectoryName(orphaned.ProfileDirectory)!;
        Assert.Matches(@"/browser-automation-\d+-[0-9a-f]{32}/driver-\d+$", driverFolder);
        await Wait.UntilAsync(
            () => BrowserProcesses.IsGone(orphaned) && !Directory.Exists(driverFolder), Patience, "the browsers of the dead driver and its temporary folder to go");
        var next = await fixture.Executor.ExecuteAsync(
            Jobs.For(fixture.Site.Url("/page"), Jobs.Screenshot()) with { Engine = fixture.Engine }, CancellationToken.None).WaitAsync(Patience);

        Assert.True(next.Succeeded, next.ErrorMessage);
        var current = await BrowserProcesses.AnyBrowserAsync(fixture.Pool, fixture.Engine, fixture.Executable);
        Assert.NotEqual(driverPid, BrowserProcesses.DriverOf(current.Main!.Value.Pid));
        foreach (var line in fixture.LogLines.Where(l => l.Contains("Cleaned up", StringComparison.Ordinal) || l.Contains("driver", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }
    }
}

public sealed class ChromiumCrashTests(ChromiumPoolFixture fixture, ITestOutputHelper output)
    : BrowserCrashTests(fixture, output), IClassFixture<ChromiumPoolFixture>;

public sealed class FirefoxCrashTests(FirefoxPoolFixture fixture, ITestOutputHelper output)
    : BrowserCrashTests(fixture, output), IClassFixture<FirefoxPoolFixture>;
