using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Automation.Execution;

public sealed class SimulatedJobExecutorTests
{
    [Fact]
    public async Task Every_step_completes_and_only_screenshot_and_pdf_steps_leave_a_tiny_file()
    {
        var executor = new SimulatedJobExecutor(Options.Create(new SimulatedEngineOptions()));
        var job = new JobRequested
        {
            JobId = Guid.NewGuid(), Attempt = 1, BrowserTypeId = 7, Engine = SimulatedEngine.Name, TargetUrl = "https://a.test/",
            Actions = [new JobAction { Action = "goto", Url = "https://a.test/" }, new JobAction { Action = "screenshot" }, new JobAction { Action = "pdf" }],
        };

        var outcome = await executor.ExecuteAsync(job, CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Equal(["completed", "completed", "completed"], outcome.Steps.Select(s => s.Status));
        Assert.Equal("https://a.test/", outcome.FinalUrl);
        Assert.Empty(outcome.Extracted);
        Assert.Equal(["image/png", "application/pdf"], outcome.Artifacts.Select(a => a.MimeType));
        Assert.All(outcome.Artifacts, a => Assert.InRange(a.Data.Length, 1, 100));
    }

    [Fact]
    public async Task A_cancelled_attempt_ends_with_cancellation()
    {
        var executor = new SimulatedJobExecutor(Options.Create(new SimulatedEngineOptions { DelayMs = 60_000 }));
        var job = new JobRequested
        {
            JobId = Guid.NewGuid(), Attempt = 1, BrowserTypeId = 7, Engine = SimulatedEngine.Name, TargetUrl = "https://a.test/", Actions = [],
        };
        using var cancel = new CancellationTokenSource();
        var running = executor.ExecuteAsync(job, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public void A_worker_serving_only_the_simulated_engine_has_no_browser_engine()
    {
        Assert.Empty(new BrowserOptions { Engines = [SimulatedEngine.Name] }.ResolveEngines());
        Assert.Equal([BrowserEngines.Chromium], new BrowserOptions { Engines = [SimulatedEngine.Name, "chromium"] }.ResolveEngines());
        Assert.Empty(new BrowserOptions { Engines = [SimulatedEngine.Name], ChromiumExecutablePath = "" }
            .Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object())));
    }
}
