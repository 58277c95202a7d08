using System.Collections.Concurrent;
using System.Diagnostics;
using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Networking;
using Microsoft.Extensions.Logging;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A real pool of one engine and the test site, shared by the tests of one class.</summary>
public abstract class PoolFixture : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _logLines = new();
    private ILoggerFactory _loggerFactory = null!;

    protected PoolFixture(string engine)
    {
        Engine = engine;
        // A short target timeout keeps the missing-target tests quick; the default (5 s) is checked with the options.
        // No warm contexts unless a fixture asks for them: these tests count the contexts a browser holds.
        Options = new BrowserOptions { Engines = [engine], EvaluateEnabled = true, TargetTimeoutMs = 1_000, PrewarmContexts = 0 };
    }

    public string Engine { get; }

    /// <summary>The pool's options; evaluate is enabled (see <see cref="ExecutorWithoutEvaluate"/>).</summary>
    public BrowserOptions Options { get; }

    public string Executable => Engine == BrowserEngines.Firefox ? Options.FirefoxExecutablePath : Options.ChromiumExecutablePath;

    public TestSite Site { get; private set; } = null!;

    /// <summary>The only resolver the browsers' egress proxy asks: .test names only, never real DNS.</summary>
    public TestHostResolver Resolver { get; } = new();

    /// <summary>The pool's egress proxy; only 127.0.0.1 is allowed (<see cref="TestEgress"/>).</summary>
    public EgressProxy Egress { get; private set; } = null!;

    public BrowserPool Pool { get; private set; } = null!;

    public JobExecutor Executor { get; private set; } = null!;

    /// <summary>The same pool, with the evaluate action disabled (the default).</summary>
    public JobExecutor ExecutorWithoutEvaluate { get; private set; } = null!;

    public long StartMs { get; private set; }

    public IEnumerable<string> LogLines => _logLines;

    public async Task InitializeAsync()
    {
        _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(new CapturingLoggerProvider(_logLines)));
        Site = await TestSite.StartAsync();
        Egress = TestEgress.Create(Resolver);
        Pool = new BrowserPool(Microsoft.Extensions.Options.Options.Create(Options), _loggerFactory.CreateLogger<BrowserPool>(), Egress);
        var clock = Stopwatch.StartNew();
        await Pool.StartAsync(CancellationToken.None);
        StartMs = clock.ElapsedMilliseconds;
        Executor = new JobExecutor(Pool, Microsoft.Extensions.Options.Options.Create(Options), _loggerFactory.CreateLogger<JobExecutor>());
        ExecutorWithoutEvaluate = new JobExecutor(
            Pool, Microsoft.Extensions.Options.Options.Create(new BrowserOptions { Engines = [Engine] }), _loggerFactory.CreateLogger<JobExecutor>());
        Assert.True(Pool.Engines[Engine].Available, Pool.Engines[Engine].Reason);
    }

    public async Task DisposeAsync()
    {
        var groups = Pool.EngineFor(Engine).ProcessHistory();
        await Pool.DisposeAsync();
        await Egress.DisposeAsync();
        await Site.DisposeAsync();
        _loggerFactory.Dispose();
        // Shutting the pool down leaves nothing behind, not even its temporary folder.
        Assert.All(groups, static g => Assert.NotNull(g.ProfileDirectory));
        BrowserProcesses.AssertGone(groups);
        Assert.All(groups, static g => Assert.False(Directory.Exists(Path.GetDirectoryName(Path.GetDirectoryName(g.ProfileDirectory))), "the pool's temporary folder is left"));
    }
}

public sealed class ChromiumPoolFixture() : PoolFixture(BrowserEngines.Chromium);

public sealed class FirefoxPoolFixture() : PoolFixture(BrowserEngines.Firefox);
