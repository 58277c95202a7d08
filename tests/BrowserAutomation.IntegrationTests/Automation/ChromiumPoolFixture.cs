using System.Collections.Concurrent;
using System.Diagnostics;
using BrowserAutomation.Automation;
using Microsoft.Extensions.Logging;

namespace BrowserAutomation.IntegrationTests.Automation;

/// <summary>A real chromium pool and the test site, shared by the tests of one class.</summary>
public sealed class ChromiumPoolFixture : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _logLines = new();
    private ILoggerFactory _loggerFactory = null!;

    public BrowserOptions Options { get; } = new() { Engines = [BrowserEngines.Chromium] };

    public TestSite Site { get; private set; } = null!;

    public BrowserPool Pool { get; private set; } = null!;

    public JobExecutor Executor { get; private set; } = null!;

    public long StartMs { get; private set; }

    public IEnumerable<string> LogLines => _logLines;

    public async Task InitializeAsync()
    {
        _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(new CapturingLoggerProvider(_logLines)));
        Site = await TestSite.StartAsync();
        Pool = new BrowserPool(Microsoft.Extensions.Options.Options.Create(Options), _loggerFactory.CreateLogger<BrowserPool>());
        var clock = Stopwatch.StartNew();
        await Pool.StartAsync(CancellationToken.None);
        StartMs = clock.ElapsedMilliseconds;
        Executor = new JobExecutor(Pool, _loggerFactory.CreateLogger<JobExecutor>());
        Assert.True(Pool.Engines[BrowserEngines.Chromium].Available, Pool.Engines[BrowserEngines.Chromium].Reason);
    }

    public async Task DisposeAsync()
    {
        await Pool.DisposeAsync();
        await Site.DisposeAsync();
        _loggerFactory.Dispose();
    }
}
