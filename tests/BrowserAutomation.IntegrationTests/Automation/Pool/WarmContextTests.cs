using System.Diagnostics;
using System.Net.Sockets;
using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.IntegrationTests.Automation.Pool;

/// <summary>
/// Jobs with default context options start on a pre-warmed context: the URL policy applies to it as to a fresh one
/// (its refusals are attributed to that job), nothing of one job is visible to the next, other jobs get a fresh
/// context, and no context, page or proxy listener outlives its job, through recycling and a browser crash.
/// </summary>
public sealed class WarmContextTests(WarmPoolFixture fixture, LoopbackTargetsFixture targetsFixture)
    : IClassFixture<WarmPoolFixture>, IClassFixture<LoopbackTargetsFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly JobAction Settle = new() { Action = "wait", Milliseconds = 500 };

    private readonly LoopbackTargets _targets = targetsFixture.Targets;

    private EnginePoolStats Stats => fixture.Pool.GetStats()[fixture.Engine];

    [Fact]
    public async Task A_warm_context_serves_the_job_and_the_url_policy_still_blocks_and_attributes_denied_targets()
    {
        _targets.Page("/warm/trick", $"<html><head><title>Trick</title></head><body><img src=\"{_targets.DeniedBase}/x.png\"></body></html>");
        _targets.Redirect("/warm/redirect", 302, $"{_targets.DeniedBase}/target");

        var listed = await RunWarmAsync(Jobs.For($"{_targets.AllowedBase}/warm/trick", Settle));
        Assert.True(listed.Succeeded, listed.ErrorMessage);
        Assert.Equal("Trick", listed.Title);
        Assert.Contains(listed.BlockedRequests, b => b.Url.Contains("127.0.0.2", StringComparison.Ordinal) && b.Reason.Length > 0);

        var redirected = await RunWarmAsync(Jobs.For($"{_targets.AllowedBase}/warm/redirect"));
        Assert.Equal(JobErrorTypes.UrlBlocked, redirected.ErrorType);
        Assert.Contains("URL policy", redirected.ErrorMessage, StringComparison.Ordinal);

        Assert.Equal(0, _targets.DeniedConnections);
    }

    [Fact]
    public async Task Cookies_and_storage_set_by_one_job_are_not_seen_by_the_next()
    {
        _targets.Page("/warm/store", "<html><head><title>Store</title></head><body>store</body></html>");
        var url = $"{_targets.AllowedBase}/warm/store";

        var first = await RunWarmAsync(Jobs.For(url, Jobs.Evaluate(
            "set", "(() => { document.cookie = 'secret=one; max-age=3600'; localStorage.setItem('secret', 'one'); return document.cookie; })()")));
        Assert.True(first.Succeeded, first.ErrorMessage);
        Assert.Equal("secret=one", first.Extracted["set"].GetString());

        var second = await RunWarmAsync(Jobs.For(url, Jobs.Evaluate(
            "seen", "(() => document.cookie + '|' + localStorage.getItem('secret'))()")));
        Assert.True(second.Succeeded, second.ErrorMessage);
        Assert.Equal("|null", second.Extracted["seen"].GetString());
    }

    [Fact]
    public async Task A_job_with_context_options_gets_a_fresh_context()
    {
        _targets.Page("/warm/locale", "<html><head><title>Locale</title></head><body>locale</body></html>");
        await WaitForWarmAsync();
        (var hits, var misses) = (Stats.WarmHits, Stats.WarmMisses);

        var outcome = await fixture.Executor.ExecuteAsync(
            Jobs.For($"{_targets.AllowedBase}/warm/locale", Jobs.Evaluate("language", "navigator.language")) with
            {
                Options = new JobOptions { Locale = "de-DE" },
            },
            CancellationToken.None).WaitAsync(Patience);

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("de-DE", outcome.Extracted["language"].GetString());
        Assert.Equal((hits, misses), (Stats.WarmHits, Stats.WarmMisses));
    }

    [Fact]
    public async Task No_context_or_proxy_listener_outlives_its_job_through_recycling()
    {
        _targets.Page("/warm/many", "<html><head><title>Many</title></head><body>many</body></html>");
        var recycledBefore = Stats.Recycled;
        for (var i = 0; i < 8; i++)
        {
            var outcome = await fixture.Executor.ExecuteAsync(Jobs.For($"{_targets.AllowedBase}/warm/many", Jobs.Screenshot()), CancellationToken.None)
                .WaitAsync(Patience);
            Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        }

        // A lease taken directly: its own proxy listener closes with it.
        var lease = await fixture.Pool.AcquireContextAsync(
            fixture.Engine, JobContextOptions.ForWarmKey(new WarmKey(800, 600, null)), new WarmKey(800, 600, null), CancellationToken.None);
        var listener = Assert.IsType<BrowserAutomation.Networking.EgressContext>(lease.Egress).Endpoint;
        await lease.DisposeAsync();
        using (var connection = new TcpClient())
        {
            await Assert.ThrowsAnyAsync<SocketException>(() => connection.ConnectAsync(listener.Address, listener.Port));
        }

        Assert.True(Stats.Recycled > recycledBefore, "the browser was not recycled");
        // Once the closes are done only the warm contexts are open, on one browser.
        await Wait.UntilAsync(
            () => Stats is { Draining: 0, Browsers: 1, OpenContexts: 0 } s && s.WarmReady == fixture.Options.PrewarmContexts,
            Patience, "only the warm contexts to remain open");
        await using var probe = await fixture.Pool.AcquireContextAsync(fixture.Engine, null, CancellationToken.None);
        // The browser holds this context and the warm ones, each with at most its one page: nothing of the jobs is left.
        await Wait.UntilAsync(() => probe.Browser.Contexts.Count == 1 + fixture.Options.PrewarmContexts, Patience, "every job's context to close");
        Assert.All(probe.Browser.Contexts, static c => Assert.True(c.Pages.Count <= 1));
    }

    [Fact]
    public async Task A_crashed_browser_takes_its_warm_contexts_with_it_and_the_next_job_still_succeeds()
    {
        _targets.Page("/warm/after-crash", "<html><head><title>After</title></head><body>after</body></html>");
        await WaitForWarmAsync();
        var victim = await BrowserProcesses.AnyBrowserAsync(fixture.Pool, fixture.Engine, fixture.Executable);
        var crashes = Stats.Crashed;
        using (var browser = Process.GetProcessById(victim.Main!.Value.Pid))
        {
            browser.Kill();
        }

        await Wait.UntilAsync(() => Stats.Crashed > crashes, Patience, "the crash to be noticed");
        var outcome = await RunWarmAsync(Jobs.For($"{_targets.AllowedBase}/warm/after-crash"));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("After", outcome.Title);
        await Wait.UntilAsync(() => BrowserProcesses.IsGone(victim), Patience, "the dead browser's processes to go");
    }

    /// <summary>Waits for a warm context, runs the job and checks that it was served from one.</summary>
    private async Task<JobExecutionOutcome> RunWarmAsync(JobRequested job)
    {
        await WaitForWarmAsync();
        var hits = Stats.WarmHits;
        var outcome = await fixture.Executor.ExecuteAsync(job, CancellationToken.None).WaitAsync(Patience);
        Assert.Equal(hits + 1, Stats.WarmHits);
        return outcome;
    }

    private async Task WaitForWarmAsync()
    {
        if (Stats.WarmHits + Stats.WarmMisses == 0)
        {
            // The pool warms the shape of the last job with default options it saw; the first one (800x600) teaches it.
            _targets.Page("/warm/first", "<html><head><title>First</title></head><body>first</body></html>");
            var first = await fixture.Executor.ExecuteAsync(Jobs.For($"{_targets.AllowedBase}/warm/first"), CancellationToken.None).WaitAsync(Patience);
            Assert.True(first.Succeeded, first.ErrorMessage);
            Assert.Equal(1, Stats.WarmMisses);
        }

        await Wait.UntilAsync(() => Stats.WarmReady > 0, Patience, "a warm context");
    }
}
