using System.Diagnostics;
using BrowserAutomation.Automation;
using BrowserAutomation.Contracts;
using Xunit.Abstractions;

namespace BrowserAutomation.IntegrationTests.Automation;

/// <summary>Kills the pool's browser, so it gets a pool of its own.</summary>
public sealed class BrowserCrashTests(ChromiumPoolFixture fixture, ITestOutputHelper output) : IClassFixture<ChromiumPoolFixture>
{
    [Fact]
    public async Task Killing_the_browser_mid_job_is_browser_crashed_and_the_next_job_relaunches_it()
    {
        string executable = fixture.Options.ChromiumExecutablePath;
        int pid = await BrowserProcesses.FindChromiumBrowserPidAsync(fixture.Pool, executable);
        string id = Guid.NewGuid().ToString();
        Task<JobExecutionOutcome> running = fixture.Executor.ExecuteAsync(
            Jobs.For(fixture.Site.Url($"/hang?id={id}"), Jobs.Screenshot()), CancellationToken.None);
        await fixture.Site.WaitForHangRequestAsync(id).WaitAsync(TimeSpan.FromSeconds(30));

        using (Process browser = Process.GetProcessById(pid))
        {
            browser.Kill();
        }

        JobExecutionOutcome crashed = await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(JobErrorTypes.BrowserCrashed, crashed.ErrorType);
        Assert.DoesNotContain(crashed.Artifacts, a => a.ArtifactType == "failure-screenshot");
        Assert.False(fixture.Pool.Engines[BrowserEngines.Chromium].Available);

        JobExecutionOutcome next = await fixture.Executor.ExecuteAsync(
            Jobs.For(fixture.Site.Url("/page"), Jobs.Screenshot()), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(next.Succeeded, next.ErrorMessage);
        Assert.Equal((800, 600), ImageHeaders.PngSize(Assert.Single(next.Artifacts).Data));
        Assert.True(fixture.Pool.Engines[BrowserEngines.Chromium].Available);
        Assert.NotEqual(pid, await BrowserProcesses.FindChromiumBrowserPidAsync(fixture.Pool, executable));
        output.WriteLine($"crashed job: {crashed.DurationMs} ms; next job, relaunch included: {next.DurationMs} ms");
        foreach (string line in fixture.LogLines)
        {
            output.WriteLine(line);
        }
    }

    [Fact]
    public async Task Killing_the_playwright_driver_is_survived_by_the_next_job()
    {
        int browserPid = await BrowserProcesses.FindChromiumBrowserPidAsync(fixture.Pool, fixture.Options.ChromiumExecutablePath);
        int driverPid = BrowserProcesses.DriverOf(browserPid);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (BrowserLease lease = await fixture.Pool.AcquireContextAsync(BrowserEngines.Chromium, null, CancellationToken.None))
        {
            lease.Browser.Disconnected += (_, _) => disconnected.TrySetResult();
        }

        using (Process driver = Process.GetProcessById(driverPid))
        {
            driver.Kill();
        }

        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        JobExecutionOutcome next = await fixture.Executor.ExecuteAsync(
            Jobs.For(fixture.Site.Url("/page"), Jobs.Screenshot()), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(next.Succeeded, next.ErrorMessage);
        int newBrowserPid = await BrowserProcesses.FindChromiumBrowserPidAsync(fixture.Pool, fixture.Options.ChromiumExecutablePath);
        Assert.NotEqual(driverPid, BrowserProcesses.DriverOf(newBrowserPid));
    }
}
