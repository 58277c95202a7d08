using System.Diagnostics;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Networking;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Pool;

/// <summary>
/// One engine's browsers: between <see cref="BrowserOptions.MinBrowsers"/> and <see cref="BrowserOptions.MaxBrowsers"/>,
/// each taking up to <see cref="BrowserOptions.ContextsPerBrowser"/> contexts before another is launched. A browser
/// that served its page quota drains (no new contexts) and closes when its last context does; one that dies is
/// replaced; extra idle ones close. Whatever way a browser goes, its processes and profile folder go with it.
/// The decisions are <see cref="EngineBrowsers"/>'s, the launch options <see cref="EngineLaunchArguments"/>'s and
/// the way out <see cref="BrowserCleanup"/>'s; this class opens and closes contexts and launches browsers.
/// </summary>
internal sealed class EnginePool
{
    private readonly BrowserPool _pool;
    private readonly BrowserOptions _options;
    private readonly ILogger _logger;
    private readonly EngineBrowsers _browsers;
    private readonly BrowserCleanup _cleanup;
    private readonly WarmContexts _warm;
    private volatile EngineStatus _status = EngineStatus.NotStarted;

    public EnginePool(string engine, BrowserPool pool, BrowserOptions options, ILogger logger)
    {
        Engine = engine;
        _pool = pool;
        _options = options;
        _logger = logger;
        _browsers = new EngineBrowsers(engine, pool, options, logger, LaunchAsync);
        _cleanup = new BrowserCleanup(engine, pool, options, logger);
        _warm = new WarmContexts(this, _browsers, options, logger);
    }

    public string Engine { get; }

    public EngineStatus Status => _status;

    /// <summary>Contexts whose close is still under way, and other background clean-up.</summary>
    public int PendingBackgroundWork => _cleanup.Pending;

    /// <summary>
    /// Launches the minimum number of browsers, at least one so the engine is probed (with a minimum of 0 it closes
    /// again after the idle timeout), and waits for them; failures end up in <see cref="Status"/>.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var launching = _browsers.EnsureMinimum(Math.Max(1, _options.MinBrowsers));
        foreach (var browser in launching)
        {
            try
            {
                await browser.Launch.WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Logged and recorded in Status by the launch itself.
            }
        }

        _warm.Refill();
    }

    /// <summary>
    /// A context for one job: with a <paramref name="warmKey"/> (the job uses default context options) a pre-warmed
    /// one if one is ready, else a fresh one opened now with <paramref name="options"/>.
    /// </summary>
    public async Task<BrowserLease> NewContextAsync(BrowserNewContextOptions? options, WarmKey? warmKey, CancellationToken cancellationToken)
    {
        if (warmKey is not null && _warm.TryTake(warmKey) is { } warm)
        {
            if (warm.Slot.Draining)
            {
                _warm.DiscardOn(warm.Slot);
            }

            return warm;
        }

        var slot = _browsers.Reserve();
        if (slot.Draining)
        {
            _warm.DiscardOn(slot);
        }

        IBrowser browser;
        try
        {
            browser = await slot.Launch.WaitAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            Unreserve(slot);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new BrowserUnavailableException(Engine, configured: true, $"The {Engine} browser could not be launched: {JobErrors.Shorten(ex.Message)}", ex);
        }

        var egress = OpenEgress();
        var creating = browser.NewContextAsync(WithProxy(options ?? new BrowserNewContextOptions(), egress));
        try
        {
            var context = await creating.WaitAsync(cancellationToken);
            return new BrowserLease(this, slot, browser, context, egress, null);
        }
        catch (Exception ex)
        {
            Unreserve(slot);
            if (egress is not null)
            {
                await egress.DisposeAsync();
            }

            // A context that arrives after the caller gave up must not linger until the browser closes.
            _ = creating.ContinueWith(
                static t => t.Result.CloseAsync(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            if (ex is PlaywrightException && !browser.IsConnected)
            {
                throw new BrowserUnavailableException(Engine, configured: true, $"The {Engine} browser disconnected while opening a context.", ex);
            }

            throw;
        }
    }

    /// <summary>
    /// Frees the lease's slot at once (a closing context takes no new work, so it must not make the pool launch
    /// another browser), closes its context, and then lets a recycled browser close.
    /// </summary>
    public async Task ReleaseAsync(BrowserLease lease)
    {
        _browsers.BeginRelease(lease.Slot);
        try
        {
            if (lease.Browser.IsConnected)
            {
                await lease.Context.CloseAsync().WaitAsync(BrowserCleanup.CloseTimeout);
            }
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            _logger.LogWarning(ex, "Closing a {Engine} context failed", Engine);
        }
        finally
        {
            if (lease.Egress is { } egress)
            {
                await egress.DisposeAsync();
            }

            Unreserve(lease.Slot, closed: true);
            _warm.Refill();
        }
    }

    /// <summary>Opens a warm context (with its blank page) of <paramref name="key"/> on a browser reserved for it.</summary>
    internal async Task<BrowserLease> OpenWarmAsync(PooledBrowser slot, WarmKey key)
    {
        // Reserved as soon as its launch succeeded, possibly before the launch task has completed.
        var browser = slot.Browser ?? await slot.Launch;
        var egress = OpenEgress();
        var creating = browser.NewContextAsync(WithProxy(JobContextOptions.ForWarmKey(key), egress));
        try
        {
            var context = await creating.WaitAsync(BrowserCleanup.CloseTimeout);
            var lease = new BrowserLease(this, slot, browser, context, egress, await OpenBlankPageAsync(context));
            return lease;
        }
        catch
        {
            _ = creating.ContinueWith(
                static t => t.Result.CloseAsync(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            if (egress is not null)
            {
                await egress.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>A warm context that was never opened: its reservation goes back.</summary>
    internal void CancelWarm(PooledBrowser slot)
    {
        _browsers.AbandonWarm(slot);
        Unreserve(slot);
    }

    public void ReleaseInBackground(BrowserLease lease) => _cleanup.Track(lease, ReleaseAsync(lease));

    public EnginePoolStats GetStats() => _browsers.GetStats(_cleanup.ClosingBrowsers, _warm.Ready, _warm.Hits, _warm.Misses);

    /// <summary>The process groups of the browsers in the pool now.</summary>
    internal IReadOnlyList<BrowserProcessGroup> LiveProcessGroups() => _browsers.LiveProcessGroups();

    /// <summary>The process groups of the last browsers launched, closed ones included.</summary>
    internal IReadOnlyList<BrowserProcessGroup> ProcessHistory() => _browsers.ProcessHistory();

    /// <summary>Periodic upkeep: closes idle browsers beyond the minimum, tops up to the minimum, records child processes.</summary>
    public void Maintain(IReadOnlyList<ProcessEntry>? snapshot)
    {
        if (_browsers.RetireIdle() is not { } idle)
        {
            return;
        }

        foreach (var browser in idle)
        {
            _logger.LogInformation("Closing idle {Engine} browser #{BrowserId} after {IdleTimeoutMs} ms without work", Engine, browser.Id, _options.IdleTimeoutMs);
            _warm.DiscardOn(browser);
            _cleanup.CloseInBackground(browser);
        }

        _browsers.EnsureMinimum();
        _warm.Refill();
        if (snapshot is not null)
        {
            foreach (var group in LiveProcessGroups())
            {
                group.Refresh(snapshot);
            }
        }
    }

    /// <summary>Closes every browser (waiting for contexts still closing) and removes whatever they leave behind.</summary>
    public async Task CloseAsync()
    {
        await _warm.StopAsync();
        var all = _browsers.RetireAll();
        await _cleanup.WhenReleasedAsync();
        await Task.WhenAll(all.Select(_cleanup.CloseAndCleanUpAsync));
        await _cleanup.WhenIdleAsync();
    }

    /// <summary>After the driver is gone: kills anything any browser of this engine left running and removes its profile.</summary>
    public async Task SweepAsync()
    {
        foreach (var group in ProcessHistory())
        {
            await _cleanup.CleanUpAsync(group, "at shutdown");
        }
    }

    private void Unreserve(PooledBrowser browser, bool closed = false)
    {
        if (_browsers.Unreserve(browser, closed))
        {
            _cleanup.CloseInBackground(browser);
            _browsers.EnsureMinimum();
        }
    }

    private static Task<IPage> OpenBlankPageAsync(IBrowserContext context) => context.NewPageAsync().WaitAsync(BrowserCleanup.CloseTimeout);

    /// <summary>
    /// Chromium contexts get a listener of their own on the egress proxy, so its refusals are attributed to the context
    /// (see <see cref="EgressContext"/>). Other engines keep the browser's proxy setting.
    /// </summary>
    private EgressContext? OpenEgress() => Engine == BrowserEngines.Chromium ? _pool.Egress.OpenContext() : null;

    private static BrowserNewContextOptions WithProxy(BrowserNewContextOptions options, EgressContext? egress)
    {
        if (egress is not null)
        {
            // The same bypass rule as the launch's: nothing, not even loopback, goes around the proxy.
            options.Proxy = new Proxy { Server = egress.ProxyServer, Bypass = "<-loopback>" };
        }

        return options;
    }

    private async Task<IBrowser> LaunchAsync(PooledBrowser pooled)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var playwright = await _pool.GetPlaywrightAsync();
            clock.Restart();
            IBrowser browser;
            try
            {
                browser = await LaunchWithAsync(playwright, pooled.Processes);
            }
            catch (PlaywrightException ex) when (BrowserPool.IsDriverGone(ex))
            {
                _logger.LogWarning("The Playwright driver is gone; starting a new one");
                playwright = await _pool.ReplacePlaywrightAsync(playwright);
                clock.Restart();
                browser = await LaunchWithAsync(playwright, pooled.Processes);
            }

            pooled.Playwright = playwright;
            if (!pooled.Processes.Locate() && ProcFs.Supported)
            {
                _logger.LogWarning("Could not find the process of {Engine} browser #{BrowserId}; it cannot be killed if it hangs", Engine, pooled.Id);
            }

            browser.Disconnected += (_, _) => OnDisconnected(pooled);
            _browsers.Launched(pooled);
            _warm.Refill();
            _status = new EngineStatus(true, browser.Version, null, DateTimeOffset.UtcNow);
            _logger.LogInformation(
                "Launched {Engine} {Version} browser #{BrowserId} (pid {Pid}) in {ElapsedMs} ms",
                Engine, browser.Version, pooled.Id, pooled.Processes.Main?.Pid, clock.ElapsedMilliseconds);
            // Whoever retired it while it launched (shutdown, a recycle) is already waiting to close it.
            if (!browser.IsConnected)
            {
                OnDisconnected(pooled);
            }

            return browser;
        }
        catch (Exception ex)
        {
            _browsers.LaunchFailed(pooled);
            _status = new EngineStatus(false, null, JobErrors.Shorten(ex.Message), DateTimeOffset.UtcNow);
            _logger.LogError(ex, "Launching {Engine} failed after {ElapsedMs} ms", Engine, clock.ElapsedMilliseconds);
            _cleanup.AfterFailedLaunch(pooled);
            throw;
        }
    }

    private Task<IBrowser> LaunchWithAsync(IPlaywright playwright, BrowserProcessGroup processes)
    {
        var options = EngineLaunchArguments.For(Engine, _options, processes.LaunchEnvironment(_pool.TempFolderOf(playwright)), _pool.Egress);
        return EngineLaunchArguments.BrowserTypeOf(playwright, Engine).LaunchAsync(options);
    }

    private void OnDisconnected(PooledBrowser pooled)
    {
        if (!_browsers.TryDisconnect(pooled, out var crashed))
        {
            return;
        }

        if (crashed)
        {
            _status = new EngineStatus(false, pooled.Browser?.Version, "The browser crashed or disconnected; it is replaced by a new launch.", DateTimeOffset.UtcNow);
            _logger.LogWarning("The {Engine} browser #{BrowserId} (pid {Pid}) crashed or disconnected", Engine, pooled.Id, pooled.Processes.Main?.Pid);
        }

        _warm.DiscardOn(pooled);
        _cleanup.AfterDisconnect(pooled, crashed);
        if (!pooled.Processes.IsDriverAlive && pooled.Playwright is { } playwright && !_pool.IsDisposed)
        {
            _pool.OnDriverDied(playwright);
        }

        if (crashed)
        {
            _browsers.EnsureMinimum();
        }
    }
}
