using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Contracts;
using Xunit.Abstractions;

namespace BrowserAutomation.IntegrationTests.Automation.Execution;

public sealed class JobExecutorTests(ChromiumPoolFixture fixture, ITestOutputHelper output) : IClassFixture<ChromiumPoolFixture>
{
    private readonly TestSite _site = fixture.Site;
    private readonly JobExecutor _executor = fixture.Executor;

    [Fact]
    public async Task Png_screenshot_has_the_viewport_size_and_the_page_facts()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/page"), Jobs.Screenshot()));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        var shot = Assert.Single(outcome.Artifacts);
        Assert.Equal(("screenshot", "screenshot.png", "image/png", 0), (shot.ArtifactType, shot.FileName, shot.MimeType, shot.StepIndex));
        Assert.Equal((800, 600), ImageHeaders.PngSize(shot.Data));
        Assert.Equal(200, outcome.HttpStatus);
        Assert.Equal(TestSite.PageTitle, outcome.Title);
        Assert.Equal(_site.Url("/page"), outcome.FinalUrl);
        var step = Assert.Single(outcome.Steps);
        Assert.Equal((0, "screenshot", "completed"), (step.Index, step.Action, step.Status));
        Assert.True(outcome.FinishedAt >= outcome.StartedAt);
    }

    [Fact]
    public async Task Full_page_screenshot_has_the_page_height()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/tall"), Jobs.Screenshot(fullPage: true)));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal((800, TestSite.TallHeight), ImageHeaders.PngSize(Assert.Single(outcome.Artifacts).Data));
    }

    [Fact]
    public async Task Jpeg_quality_trades_size()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/noise"), Jobs.Screenshot(format: "jpeg", quality: 50), Jobs.Screenshot(format: "jpeg", quality: 95)));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Collection(
            outcome.Artifacts,
            low => Assert.Equal(("screenshot.jpg", "image/jpeg"), (low.FileName, low.MimeType)),
            high => Assert.Equal(("screenshot-1.jpg", "image/jpeg"), (high.FileName, high.MimeType)));
        Assert.All(outcome.Artifacts, a => Assert.True(ImageHeaders.IsJpeg(a.Data), "not a JPEG"));
        Assert.True(outcome.Artifacts[0].Data.Length < outcome.Artifacts[1].Data.Length);
    }

    [Fact]
    public async Task Element_screenshot_has_the_element_size()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/page"), Jobs.Screenshot(target: "#box")));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal((TestSite.BoxWidth, TestSite.BoxHeight), ImageHeaders.PngSize(Assert.Single(outcome.Artifacts).Data));
    }

    [Fact]
    public async Task Goto_and_wait_run_in_order()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/tall"),
            new JobAction { Action = "goto", Url = _site.Url("/page"), WaitUntil = "domcontentloaded" },
            new JobAction { Action = "wait", Milliseconds = 10 },
            Jobs.Screenshot()));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal(["goto", "wait", "screenshot"], outcome.Steps.Select(s => s.Action));
        Assert.Equal(TestSite.PageTitle, outcome.Title);
        Assert.Equal("screenshot.png", Assert.Single(outcome.Artifacts).FileName);
    }

    [Fact]
    public async Task Closed_loopback_port_is_navigation_failed()
    {
        var outcome = await RunAsync(Jobs.For($"http://127.0.0.1:{ClosedPort()}/", Jobs.Screenshot()));

        Assert.Equal(JobErrorTypes.NavigationFailed, outcome.ErrorType);
        // The egress proxy cannot connect upstream and resets the browser's connection to it.
        Assert.Contains("ERR_CONNECTION_RESET", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Null(outcome.FailedStepIndex);
        Assert.Empty(outcome.Steps);
    }

    [Fact]
    public async Task Missing_selector_is_selector_not_found_with_a_failure_screenshot()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/page"), Jobs.Screenshot(), Jobs.Screenshot(target: "#does-not-exist", timeoutMs: 300)));

        Assert.Equal(JobErrorTypes.SelectorNotFound, outcome.ErrorType);
        Assert.Equal(1, outcome.FailedStepIndex);
        Assert.Equal(["completed", "failed"], outcome.Steps.Select(s => s.Status));
        Assert.Contains("300 ms", outcome.Steps[1].Error, StringComparison.Ordinal);
        var failure = Assert.Single(outcome.Artifacts, a => a.ArtifactType == "failure-screenshot");
        Assert.Equal(("failure.png", 1), (failure.FileName, failure.StepIndex));
        Assert.Equal((800, 600), ImageHeaders.PngSize(failure.Data));
    }

    [Fact]
    public async Task Navigation_that_never_answers_is_timeout()
    {
        var job = Jobs.For(_site.Url($"/hang?id={Guid.NewGuid()}"), Jobs.Screenshot()) with { TimeoutMs = 1_500 };

        var outcome = await RunAsync(job);

        Assert.Equal(JobErrorTypes.Timeout, outcome.ErrorType);
        Assert.Null(outcome.FailedStepIndex);
    }

    [Fact]
    public async Task Step_outlasting_the_job_budget_is_timeout()
    {
        // A wait of the whole budget is valid on its own (a longer one is refused up front); after the navigation it cannot fit.
        var job = Jobs.For(_site.Url("/page"), new JobAction { Action = "wait", Milliseconds = 2_000 }) with { TimeoutMs = 2_000 };

        var outcome = await RunAsync(job);

        Assert.Equal(JobErrorTypes.Timeout, outcome.ErrorType);
        Assert.Equal(0, outcome.FailedStepIndex);
        Assert.Equal("failed", Assert.Single(outcome.Steps).Status);
        Assert.Single(outcome.Artifacts, a => a.ArtifactType == "failure-screenshot");
    }

    [Fact]
    public async Task Unknown_action_is_validation_error()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/page"), Jobs.Screenshot(), new JobAction { Action = "teleport" }));

        Assert.Equal(JobErrorTypes.ValidationError, outcome.ErrorType);
        Assert.Equal(1, outcome.FailedStepIndex);
        Assert.Contains("teleport", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(outcome.Artifacts);
    }

    [Fact]
    public async Task Non_http_url_is_refused_before_any_browser_work()
    {
        var outcome = await RunAsync(Jobs.For("file:///etc/hostname", Jobs.Screenshot()));

        Assert.Equal(JobErrorTypes.UrlBlocked, outcome.ErrorType);
    }

    [Fact]
    public async Task Caller_cancellation_throws_and_closes_the_context()
    {
        var id = Guid.NewGuid().ToString();
        using var cts = new CancellationTokenSource();
        var running = _executor.ExecuteAsync(Jobs.For(_site.Url($"/hang?id={id}")), cts.Token);
        await _site.WaitForHangRequestAsync(id).WaitAsync(TimeSpan.FromSeconds(30));

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await using var lease = await fixture.Pool.AcquireContextAsync(BrowserEngines.Chromium, null, CancellationToken.None);
        // Contexts close in the background after the outcome is reported; only this lease's context may remain.
        await Wait.UntilAsync(() => lease.Browser.Contexts.Count == 1, TimeSpan.FromSeconds(10), "the job's context to close");
    }

    [Fact]
    public async Task Fresh_context_screenshots_leave_no_context_behind()
    {
        const int runs = 20;
        var durations = new List<long>(runs);
        for (var i = 0; i < runs; i++)
        {
            var job = Jobs.For(_site.Url("/page"), Jobs.Screenshot()) with { Viewport = new Viewport(1280, 720) };
            var clock = Stopwatch.StartNew();
            var outcome = await RunAsync(job);
            durations.Add(clock.ElapsedMilliseconds);
            Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        }

        await using (var lease = await fixture.Pool.AcquireContextAsync(BrowserEngines.Chromium, null, CancellationToken.None))
        {
            await Wait.UntilAsync(() => lease.Browser.Contexts.Count == 1, TimeSpan.FromSeconds(10), "every job's context to close");
        }

        durations.Sort();
        output.WriteLine($"pool start (driver + chromium launch): {fixture.StartMs} ms");
        foreach (var line in fixture.LogLines.Where(l => l.Contains("Launched", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }

        output.WriteLine($"fresh-context 1280x720 PNG job over {runs} runs: p50 {durations[runs / 2]} ms, min {durations[0]} ms, max {durations[^1]} ms");
    }

    private Task<JobExecutionOutcome> RunAsync(JobRequested job) =>
        _executor.ExecuteAsync(job, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
