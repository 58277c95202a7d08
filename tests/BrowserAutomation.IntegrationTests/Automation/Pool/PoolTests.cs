using System.Collections.Concurrent;
using System.Diagnostics;
using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Contracts;
using BrowserAutomation.Networking;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BrowserAutomation.IntegrationTests.Automation.Pool;

public sealed class SiteFixture : IAsyncLifetime
{
    public TestSite Site { get; private set; } = null!;

    public async Task InitializeAsync() => Site = await TestSite.StartAsync();

    public async Task DisposeAsync() => await Site.DisposeAsync();
}

/// <summary>The pool's sizing, recycling and shrinking, each test on a Chromium pool of its own with small settings.</summary>
public sealed class PoolTests(SiteFixture siteFixture, ITestOutputHelper output) : IClassFixture<SiteFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TestSite _site = siteFixture.Site;

    [Fact]
    public async Task After_300_jobs_with_recycling_at_100_the_pool_is_back_to_its_minimum_with_nothing_left_behind()
    {
        await using var pool = await TestPool.StartAsync(output, o =>
        {
            o.MinBrowsers = 1;
            o.MaxBrowsers = 2;
            o.ContextsPerBrowser = 2;
            o.MaxPagesPerBrowser = 100;
            o.IdleTimeoutMs = 1_000;
        });
        const int jobs = 300;
        var failures = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, jobs), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var outcome = await pool.Executor.ExecuteAsync(
                Jobs.For(_site.Url("/tiny"), Jobs.Extract("t", "#t")) with { Viewport = new Viewport(320, 240) }, CancellationToken.None);
            if (!outcome.Succeeded || outcome.Extracted["t"].GetString() != "tiny")
            {
                failures.Add($"job {i}: {outcome.ErrorType} {outcome.ErrorMessage}");
            }
        });

        output.WriteLine($"{jobs} jobs in {clock.ElapsedMilliseconds} ms");
        Assert.Empty(failures);
        // A retired browser leaves the count a moment before its close is tracked as background work: wait for its processes.
        await Wait.UntilAsync(
            () => pool.Stats is { Browsers: 1, OpenContexts: 0 } && pool.Engine.PendingBackgroundWork == 0
                && pool.Engine.ProcessHistory().Except(pool.Engine.LiveProcessGroups()).All(BrowserProcesses.IsGone),
            Patience, "the pool to shrink back to one browser and the others' processes to end");

        var stats = pool.Stats;
        output.WriteLine(stats.ToString());
        Assert.Equal(jobs, stats.PagesServed);
        Assert.True(stats.Recycled >= 2, $"recycled {stats.Recycled}");
        Assert.Equal(0, stats.Crashed);
        Assert.Equal(0, stats.LaunchFailures);
        Assert.Equal(stats.Launched - 1, stats.Recycled + stats.IdleClosed);
        var live = Assert.Single(pool.Engine.LiveProcessGroups());
        BrowserProcesses.AssertGone(pool.Engine.ProcessHistory().Where(g => g != live));
        Assert.Equal([live.Main!.Value.Pid], BrowserProcesses.OurBrowserMainProcesses(pool.Options.ChromiumExecutablePath));
    }

    [Fact]
    public async Task Contexts_spread_over_browsers_up_to_the_maximum_and_idle_browsers_close_down_to_the_minimum()
    {
        await using var pool = await TestPool.StartAsync(output, o =>
        {
            o.MinBrowsers = 1;
            o.MaxBrowsers = 3;
            o.ContextsPerBrowser = 1;
            o.IdleTimeoutMs = 500;
        });
        string[] gates = [.. Enumerable.Range(0, 4).Select(_ => Guid.NewGuid().ToString("N"))];

        var running = new List<Task<JobExecutionOutcome>>();
        foreach (var gate in gates[..3])
        {
            running.Add(pool.Executor.ExecuteAsync(Jobs.For(_site.Url($"/gate?id={gate}")) with { Viewport = new Viewport(320, 240) }, CancellationToken.None));
            await _site.WaitForHangRequestAsync(gate).WaitAsync(Patience);
        }

        Assert.Equal((3, 3), (pool.Stats.Browsers, pool.Stats.OpenContexts));
        Assert.Equal(3, pool.Engine.LiveProcessGroups().Select(g => g.Main!.Value.Pid).Distinct().Count());

        // Every browser is full and the maximum is reached: the least busy browser takes one more.
        running.Add(pool.Executor.ExecuteAsync(Jobs.For(_site.Url($"/gate?id={gates[3]}")) with { Viewport = new Viewport(320, 240) }, CancellationToken.None));
        await _site.WaitForHangRequestAsync(gates[3]).WaitAsync(Patience);
        Assert.Equal((3, 4), (pool.Stats.Browsers, pool.Stats.OpenContexts));

        foreach (var gate in gates)
        {
            _site.OpenGate(gate);
        }

        Assert.All(await Task.WhenAll(running).WaitAsync(Patience), o => Assert.True(o.Succeeded, o.ErrorMessage));
        var busy = pool.Engine.LiveProcessGroups();
        await Wait.UntilAsync(
            () => pool.Stats.Browsers == 1 && pool.Engine.PendingBackgroundWork == 0
                && busy.Except(pool.Engine.LiveProcessGroups()).All(BrowserProcesses.IsGone),
            Patience, "idle browsers to close and their processes to end");

        Assert.Equal(2, pool.Stats.IdleClosed);
        var kept = Assert.Single(pool.Engine.LiveProcessGroups());
        BrowserProcesses.AssertGone(busy.Where(g => g != kept));
        Assert.Single(BrowserProcesses.OurBrowserMainProcesses(pool.Options.ChromiumExecutablePath));
    }

    [Fact]
    public async Task A_recycled_browser_finishes_its_in_flight_job_before_it_closes()
    {
        await using var pool = await TestPool.StartAsync(output, o =>
        {
            o.MinBrowsers = 1;
            o.MaxBrowsers = 2;
            o.ContextsPerBrowser = 4;
            o.MaxPagesPerBrowser = 2;
        });
        var first = Assert.Single(pool.Engine.LiveProcessGroups());
        var gate = Guid.NewGuid().ToString("N");

        var slow = pool.Executor.ExecuteAsync(Jobs.For(_site.Url($"/gate?id={gate}"), Jobs.Extract("t", "#t")), CancellationToken.None);
        await _site.WaitForHangRequestAsync(gate).WaitAsync(Patience);
        var quota = await pool.Executor.ExecuteAsync(Jobs.For(_site.Url("/tiny")), CancellationToken.None);
        var next = await pool.Executor.ExecuteAsync(Jobs.For(_site.Url("/tiny")), CancellationToken.None);

        Assert.True(quota.Succeeded, quota.ErrorMessage);
        Assert.True(next.Succeeded, next.ErrorMessage);
        Assert.Equal((2, 1, 2L), (pool.Stats.Browsers, pool.Stats.Draining, pool.Stats.Launched));
        Assert.Contains(first, pool.Engine.LiveProcessGroups());
        Assert.NotEmpty(first.Running());

        _site.OpenGate(gate);
        var finished = await slow.WaitAsync(Patience);

        Assert.True(finished.Succeeded, finished.ErrorMessage);
        Assert.Equal("tiny", finished.Extracted["t"].GetString());
        // Its processes can be gone a moment before its close, still counted in Browsers, is done.
        await Wait.UntilAsync(() => BrowserProcesses.IsGone(first) && pool.Engine.PendingBackgroundWork == 0, Patience, "the recycled browser to close");
        Assert.Equal((1, 0, 1L), (pool.Stats.Browsers, pool.Stats.Draining, pool.Stats.Recycled));
    }

    [Fact]
    public async Task With_a_minimum_of_zero_the_engine_is_probed_then_closes_when_idle_and_launches_again_on_demand()
    {
        await using var pool = await TestPool.StartAsync(output, o =>
        {
            o.MinBrowsers = 0;
            o.IdleTimeoutMs = 200;
        });
        var probe = Assert.Single(pool.Engine.ProcessHistory());
        Assert.NotNull(probe.Main);

        await Wait.UntilAsync(() => pool.Stats.Browsers == 0 && BrowserProcesses.IsGone(probe), Patience, "the idle probe browser to close");
        var outcome = await pool.Executor.ExecuteAsync(Jobs.For(_site.Url("/tiny"), Jobs.Extract("t", "#t")), CancellationToken.None);

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.True(pool.Pool.Engines[BrowserEngines.Chromium].Available);
        Assert.Equal(2L, pool.Stats.Launched);
        Assert.True(pool.Stats.IdleClosed >= 1);
    }

    [Fact]
    public async Task A_browser_that_cannot_launch_fails_jobs_as_browser_crashed_and_is_reported()
    {
        await using var pool = await TestPool.StartAsync(output, o => o.ChromiumExecutablePath = "/nonexistent/chromium", expectAvailable: false);

        var outcome = await pool.Executor.ExecuteAsync(Jobs.For(_site.Url("/tiny")), CancellationToken.None);

        Assert.Equal(JobErrorTypes.BrowserCrashed, outcome.ErrorType);
        Assert.Contains("could not be launched", outcome.ErrorMessage, StringComparison.Ordinal);
        var status = pool.Pool.Engines[BrowserEngines.Chromium];
        Assert.False(status.Available);
        Assert.NotNull(status.Reason);
        Assert.True(pool.Stats.LaunchFailures >= 2, $"launch failures: {pool.Stats.LaunchFailures}");
        Assert.Equal(0, pool.Stats.Browsers);
    }

    private sealed class TestPool : IAsyncDisposable
    {
        private readonly ILoggerFactory _loggers;

        private TestPool(BrowserOptions options, ILoggerFactory loggers)
        {
            Options = options;
            _loggers = loggers;
            Egress = TestEgress.Create();
            Pool = new BrowserPool(Microsoft.Extensions.Options.Options.Create(options), loggers.CreateLogger<BrowserPool>(), Egress);
            Executor = new JobExecutor(Pool, Microsoft.Extensions.Options.Options.Create(options), loggers.CreateLogger<JobExecutor>());
        }

        public BrowserOptions Options { get; }

        public EgressProxy Egress { get; }

        public BrowserPool Pool { get; }

        public JobExecutor Executor { get; }

        public EnginePool Engine => Pool.EngineFor(BrowserEngines.Chromium);

        public EnginePoolStats Stats => Pool.GetStats()[BrowserEngines.Chromium];

        public static async Task<TestPool> StartAsync(ITestOutputHelper output, Action<BrowserOptions> configure, bool expectAvailable = true)
        {
            // The pool's own mechanics, without warm contexts (WarmContextTests covers those).
            var options = new BrowserOptions { Engines = [BrowserEngines.Chromium], PrewarmContexts = 0 };
            configure(options);
            var pool = new TestPool(options, LoggerFactory.Create(l => l.AddProvider(new OutputLoggerProvider(output))));
            await pool.Pool.StartAsync(CancellationToken.None);
            if (expectAvailable)
            {
                Assert.True(pool.Pool.Engines[BrowserEngines.Chromium].Available, pool.Pool.Engines[BrowserEngines.Chromium].Reason);
            }

            return pool;
        }

        public async ValueTask DisposeAsync()
        {
            var groups = Engine.ProcessHistory();
            await Pool.DisposeAsync();
            await Egress.DisposeAsync();
            _loggers.Dispose();
            BrowserProcesses.AssertGone(groups);
            Assert.All(
                groups.Where(static g => g.ProfileDirectory is not null),
                static g => Assert.False(Directory.Exists(Path.GetDirectoryName(Path.GetDirectoryName(g.ProfileDirectory))), "the pool's temporary folder is left"));
        }
    }

    /// <summary>The pool's information logs (launches, recycling, clean-ups) in the test output.</summary>
    private sealed class OutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
    {
        // One line per job would drown the pool's own lines.
        public ILogger CreateLogger(string categoryName) =>
            new OutputLogger(output, categoryName.EndsWith(nameof(JobExecutor), StringComparison.Ordinal) ? LogLevel.Warning : LogLevel.Information);

        public void Dispose()
        {
        }

        private sealed class OutputLogger(ITestOutputHelper output, LogLevel minimum) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                {
                    return;
                }

                try
                {
                    output.WriteLine($"{logLevel}: {formatter(state, exception)}");
                }
                catch (InvalidOperationException)
                {
                    // Logged after the test finished.
                }
            }
        }
    }
}
