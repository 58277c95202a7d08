using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation;

/// <summary>
/// One engine's browsers: between <see cref="BrowserOptions.MinBrowsers"/> and <see cref="BrowserOptions.MaxBrowsers"/>,
/// each taking up to <see cref="BrowserOptions.ContextsPerBrowser"/> contexts before another is launched. A browser
/// that served its page quota drains (no new contexts) and closes when its last context does; one that dies is
/// replaced; extra idle ones close. Whatever way a browser goes, its processes and profile folder go with it.
/// </summary>
internal sealed class EnginePool
{
    private static readonly string[] ChromiumArgs =
    [
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
        "--disable-default-apps",
        "--mute-audio",
        "--disable-dev-shm-usage",
    ];

    /// <summary>
    /// No resolver of its own (every name goes to the proxy, which resolves it), and no UDP outside the proxy
    /// (WebRTC). The proxy's own address is an IP literal and is excluded from the mapping.
    /// </summary>
    internal static string[] ChromiumEgressArgs(System.Net.IPEndPoint proxy) =>
    [
        $"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {proxy.Address}",
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--enforce-webrtc-ip-permission-check",
        "--dns-prefetch-disable",
    ];

    internal static Dictionary<string, object> FirefoxEgressPrefs(System.Net.IPEndPoint proxy) => new()
    {
        ["network.proxy.type"] = 1,
        ["network.proxy.http"] = proxy.Address.ToString(),
        ["network.proxy.http_port"] = proxy.Port,
        ["network.proxy.ssl"] = proxy.Address.ToString(),
        ["network.proxy.ssl_port"] = proxy.Port,
        ["network.proxy.share_proxy_settings"] = true,
        ["network.proxy.no_proxies_on"] = string.Empty,
        ["network.proxy.allow_hijacking_localhost"] = true,
        ["network.proxy.socks_remote_dns"] = true,
        ["network.proxy.failover_direct"] = false,
        ["network.proxy.allow_bypass"] = false,
        ["network.dns.disablePrefetch"] = true,
        ["network.dns.disablePrefetchFromHTTPS"] = true,
        ["network.predictor.enabled"] = false,
        ["network.prefetch-next"] = false,
        ["network.http.speculative-parallel-limit"] = 0,
        ["network.trr.mode"] = 5,
        ["media.peerconnection.enabled"] = false,
        ["media.peerconnection.ice.proxy_only"] = true,
        ["media.navigator.enabled"] = false,
        ["network.captive-portal-service.enabled"] = false,
        ["network.connectivity-service.enabled"] = false,
    };

    private const int HistorySize = 64;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly BrowserPool _pool;
    private readonly BrowserOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // Guarded by _gate: browsers launching, serving or draining (retired ones leave the list).
    private readonly List<PooledBrowser> _browsers = [];
    private readonly Queue<BrowserProcessGroup> _history = new();
    private int _nextId;
    private long _pagesServed;
    private long _launched;
    private long _recycled;
    private long _idleClosed;
    private long _crashed;
    private long _launchFailures;

    private readonly ConcurrentDictionary<object, Task> _background = new();
    private volatile EngineStatus _status = EngineStatus.NotStarted;

    public EnginePool(string engine, BrowserPool pool, BrowserOptions options, ILogger logger)
    {
        Engine = engine;
        _pool = pool;
        _options = options;
        _logger = logger;
    }

    public string Engine { get; }

    public EngineStatus Status => _status;

    /// <summary>
    /// Launches the minimum number of browsers, at least one so the engine is probed (with a minimum of 0 it closes
    /// again after the idle timeout), and waits for them; failures end up in <see cref="Status"/>.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        List<PooledBrowser> launching = EnsureMinimum(Math.Max(1, _options.MinBrowsers));
        foreach (PooledBrowser browser in launching)
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
    }

    public async Task<BrowserLease> NewContextAsync(BrowserNewContextOptions? options, CancellationToken cancellationToken)
    {
        PooledBrowser slot = Reserve();
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

        Task<IBrowserContext> creating = browser.NewContextAsync(options);
        try
        {
            IBrowserContext context = await creating.WaitAsync(cancellationToken);
            return new BrowserLease(this, slot, browser, context);
        }
        catch (Exception ex)
        {
            Unreserve(slot);
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
        lock (_gate)
        {
            lease.Slot.Active--;
            lease.Slot.Closing++;
        }

        try
        {
            if (lease.Browser.IsConnected)
            {
                await lease.Context.CloseAsync().WaitAsync(CloseTimeout);
            }
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            _logger.LogWarning(ex, "Closing a {Engine} context failed", Engine);
        }
        finally
        {
            Unreserve(lease.Slot, closed: true);
        }
    }

    public void ReleaseInBackground(BrowserLease lease) => Track(lease, ReleaseAsync(lease));

    /// <summary>Contexts whose close is still under way, and other background clean-up.</summary>
    public int PendingBackgroundWork => _background.Count;

    public EnginePoolStats GetStats()
    {
        lock (_gate)
        {
            return new EnginePoolStats(
                Engine,
                _browsers.Count + _background.Keys.OfType<PooledBrowser>().Count(),
                _browsers.Count(static b => b.Draining),
                _browsers.Sum(static b => b.Active + b.Closing),
                _pagesServed,
                _launched,
                _recycled,
                _idleClosed,
                _crashed,
                _launchFailures);
        }
    }

    /// <summary>The process groups of the browsers in the pool now.</summary>
    internal IReadOnlyList<BrowserProcessGroup> LiveProcessGroups()
    {
        lock (_gate)
        {
            return _browsers.Select(static b => b.Processes).ToArray();
        }
    }

    /// <summary>The process groups of the last browsers launched, closed ones included.</summary>
    internal IReadOnlyList<BrowserProcessGroup> ProcessHistory()
    {
        lock (_gate)
        {
            return _history.ToArray();
        }
    }

    /// <summary>Periodic upkeep: closes idle browsers beyond the minimum, tops up to the minimum, records child processes.</summary>
    public void Maintain(IReadOnlyList<ProcessEntry>? snapshot)
    {
        var idle = new List<PooledBrowser>();
        lock (_gate)
        {
            if (_pool.IsDisposed)
            {
                return;
            }

            long now = Environment.TickCount64;
            var accepting = _browsers.Where(static b => !b.Draining && b.Browser is { IsConnected: true }).ToList();
            int excess = _browsers.Count(static b => !b.Draining) - _options.MinBrowsers;
            // The most used go first: they are the closest to being recycled anyway.
            foreach (PooledBrowser browser in accepting
                .Where(b => b.Active == 0 && b.Closing == 0 && now - b.IdleSince >= _options.IdleTimeoutMs)
                .OrderByDescending(static b => b.Served)
                .Take(Math.Max(0, excess)))
            {
                Retire(browser);
                _idleClosed++;
                idle.Add(browser);
            }
        }

        foreach (PooledBrowser browser in idle)
        {
            _logger.LogInformation("Closing idle {Engine} browser #{BrowserId} after {IdleTimeoutMs} ms without work", Engine, browser.Id, _options.IdleTimeoutMs);
            CloseInBackground(browser);
        }

        EnsureMinimum();
        if (snapshot is not null)
        {
            foreach (BrowserProcessGroup group in LiveProcessGroups())
            {
                group.Refresh(snapshot);
            }
        }
    }

    /// <summary>Closes every browser (waiting for contexts still closing) and removes whatever they leave behind.</summary>
    public async Task CloseAsync()
    {
        List<PooledBrowser> all;
        lock (_gate)
        {
            all = [.. _browsers];
            foreach (PooledBrowser browser in all)
            {
                Retire(browser);
            }
        }

        await WhenAllSafe(_background.Where(static w => w.Key is BrowserLease).Select(static w => w.Value));
        await Task.WhenAll(all.Select(CloseAndCleanUpAsync));
        await WhenAllSafe(_background.Values);
    }

    /// <summary>After the driver is gone: kills anything any browser of this engine left running and removes its profile.</summary>
    public async Task SweepAsync()
    {
        foreach (BrowserProcessGroup group in ProcessHistory())
        {
            await CleanUpAsync(group, "at shutdown");
        }
    }

    private PooledBrowser Reserve()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_pool.IsDisposed, _pool);
            var accepting = _browsers.Where(static b => !b.Draining && b.Browser is not { IsConnected: false }).ToList();
            PooledBrowser? pick = accepting.Where(b => b.Active < _options.ContextsPerBrowser).MinBy(static b => b.Active);
            if (pick is null && accepting.Count < _options.MaxBrowsers)
            {
                pick = StartLaunch();
            }

            // Every browser full and no room for another: the least busy one takes one more.
            pick ??= accepting.MinBy(static b => b.Active) ?? StartLaunch();
            pick.Active++;
            pick.Served++;
            _pagesServed++;
            if (_options.MaxPagesPerBrowser > 0 && pick.Served >= _options.MaxPagesPerBrowser && !pick.Draining)
            {
                pick.Draining = true;
                _logger.LogInformation(
                    "Recycling {Engine} browser #{BrowserId}: it served {Pages} pages; it closes when its last context does",
                    Engine, pick.Id, pick.Served);
            }

            return pick;
        }
    }

    private void Unreserve(PooledBrowser browser, bool closed = false)
    {
        bool recycle = false;
        lock (_gate)
        {
            if (closed)
            {
                browser.Closing--;
            }
            else
            {
                browser.Active--;
            }

            browser.IdleSince = Environment.TickCount64;
            if (browser.Draining && browser.Active == 0 && browser.Closing == 0 && !browser.Retired)
            {
                Retire(browser);
                _recycled++;
                recycle = true;
            }
        }

        if (recycle)
        {
            CloseInBackground(browser);
            EnsureMinimum();
        }
    }

    // Under _gate.
    private PooledBrowser StartLaunch()
    {
        var browser = new PooledBrowser(++_nextId, new BrowserProcessGroup(Engine));
        _browsers.Add(browser);
        _history.Enqueue(browser.Processes);
        while (_history.Count > HistorySize)
        {
            _history.Dequeue();
        }

        browser.Launch = Task.Run(() => LaunchAsync(browser));
        // Observed here: a launch nobody waits for (warm-up, top-up) must not surface as an unobserved exception.
        _ = browser.Launch.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return browser;
    }

    // Under _gate.
    private void Retire(PooledBrowser browser)
    {
        browser.Retired = true;
        browser.ClosedByPool = true;
        _browsers.Remove(browser);
    }

    private List<PooledBrowser> EnsureMinimum(int? minimum = null)
    {
        var launching = new List<PooledBrowser>();
        lock (_gate)
        {
            if (_pool.IsDisposed)
            {
                return launching;
            }

            for (int accepting = _browsers.Count(static b => !b.Draining); accepting < (minimum ?? _options.MinBrowsers); accepting++)
            {
                launching.Add(StartLaunch());
            }
        }

        return launching;
    }

    private async Task<IBrowser> LaunchAsync(PooledBrowser pooled)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            IPlaywright playwright = await _pool.GetPlaywrightAsync();
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
            lock (_gate)
            {
                _launched++;
                pooled.IdleSince = Environment.TickCount64;
            }

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
            lock (_gate)
            {
                pooled.Retired = true;
                _browsers.Remove(pooled);
                _launchFailures++;
            }

            _status = new EngineStatus(false, null, JobErrors.Shorten(ex.Message), DateTimeOffset.UtcNow);
            _logger.LogError(ex, "Launching {Engine} failed after {ElapsedMs} ms", Engine, clock.ElapsedMilliseconds);
            // A launch that timed out on our side may still have started a browser.
            if (pooled.TryStartCleanup())
            {
                Track(pooled.Processes, LocateAndCleanUpAsync(pooled.Processes));
            }

            throw;
        }
    }

    private Task<IBrowser> LaunchWithAsync(IPlaywright playwright, BrowserProcessGroup processes)
    {
        var options = new BrowserTypeLaunchOptions
        {
            Headless = _options.Headless,
            Timeout = _options.LaunchTimeoutMs,
            Env = processes.LaunchEnvironment(_pool.TempFolderOf(playwright)),
        };

        // Checked here: Playwright creates the launch's temporary folders before it looks for the executable.
        string? executable = (Engine, _options.UseBundledBrowsers) switch
        {
            (_, true) => null,
            (BrowserEngines.Chromium, _) => _options.ChromiumExecutablePath,
            (BrowserEngines.Firefox, _) => _options.FirefoxExecutablePath,
            _ => null,
        };
        if (executable is not null && !File.Exists(executable))
        {
            throw new FileNotFoundException($"The {Engine} executable does not exist at {executable}.", executable);
        }

        // Every request goes through the egress proxy, which checks the address it connects to (see EgressPolicyArgs).
        _pool.Egress.Start();
        string proxy = _pool.Egress.ProxyServer;
        switch (Engine)
        {
            case BrowserEngines.Chromium:
                // "<-loopback>" removes Chromium's implicit bypass of localhost and 127/8, so loopback is checked too.
                options.Proxy = new Proxy { Server = proxy, Bypass = "<-loopback>" };
                options.Args = [.. ChromiumArgs, .. ChromiumEgressArgs(_pool.Egress.Endpoint)];
                // Playwright passes --no-sandbox by default; the sandbox only has to go when running as root.
                options.ChromiumSandbox = !ProcessUser.IsRoot;
                if (!_options.UseBundledBrowsers)
                {
                    options.ExecutablePath = _options.ChromiumExecutablePath;
                }

                return playwright.Chromium.LaunchAsync(options);

            case BrowserEngines.Firefox:
                if (!_options.UseBundledBrowsers)
                {
                    // A stock Firefox speaks WebDriver BiDi only; the moz- channel tells Playwright so.
                    options.Channel = "moz-firefox";
                    options.ExecutablePath = _options.FirefoxExecutablePath;
                }

                // Playwright's BiDi proxy capability sets only the http proxy; the preferences send https, wss and
                // loopback through it as well, and keep Firefox from resolving or connecting on its own.
                options.Proxy = new Proxy { Server = proxy };
                options.FirefoxUserPrefs = FirefoxEgressPrefs(_pool.Egress.Endpoint);

                return playwright.Firefox.LaunchAsync(options);

            case BrowserEngines.WebKit:
                return playwright.Webkit.LaunchAsync(options);

            default:
                throw new InvalidOperationException($"Unknown engine '{Engine}'.");
        }
    }

    private void OnDisconnected(PooledBrowser pooled)
    {
        bool crashed;
        lock (_gate)
        {
            if (pooled.Disconnected)
            {
                return;
            }

            pooled.Disconnected = true;
            crashed = !pooled.ClosedByPool && !_pool.IsDisposed;
            pooled.Retired = true;
            _browsers.Remove(pooled);
            if (crashed)
            {
                _crashed++;
            }
        }

        if (crashed)
        {
            _status = new EngineStatus(false, pooled.Browser?.Version, "The browser crashed or disconnected; it is replaced by a new launch.", DateTimeOffset.UtcNow);
            _logger.LogWarning("The {Engine} browser #{BrowserId} (pid {Pid}) crashed or disconnected", Engine, pooled.Id, pooled.Processes.Main?.Pid);
        }

        if (pooled.TryStartCleanup())
        {
            Track(pooled.Processes, CleanUpAsync(pooled.Processes, crashed ? "after a crash" : "after closing"));
        }

        if (!pooled.Processes.IsDriverAlive && pooled.Playwright is { } playwright && !_pool.IsDisposed)
        {
            _pool.OnDriverDied(playwright);
        }

        if (crashed)
        {
            EnsureMinimum();
        }
    }

    private void CloseInBackground(PooledBrowser pooled) => Track(pooled, CloseAndCleanUpAsync(pooled));

    private async Task CloseAndCleanUpAsync(PooledBrowser pooled)
    {
        try
        {
            IBrowser browser = await pooled.Launch.WaitAsync(TimeSpan.FromMilliseconds(_options.LaunchTimeoutMs));
            // Its children are recorded while it is alive, so none can escape once it is gone.
            pooled.Processes.Refresh();
            await browser.CloseAsync().WaitAsync(CloseTimeout);
        }
        catch (Exception ex)
        {
            // A failed launch cleans up after itself; anything else left behind is killed below.
            _logger.LogDebug(ex, "Closing {Engine} browser #{BrowserId} failed", Engine, pooled.Id);
        }

        if (pooled.TryStartCleanup())
        {
            await CleanUpAsync(pooled.Processes, "after closing");
        }
    }

    private async Task LocateAndCleanUpAsync(BrowserProcessGroup processes)
    {
        processes.Locate();
        await CleanUpAsync(processes, "after a failed launch");
    }

    private async Task CleanUpAsync(BrowserProcessGroup processes, string when)
    {
        try
        {
            int killed = await processes.KillAsync();
            bool deleted = await processes.DeleteProfileAsync();
            _pool.SweepDeadDriverFolders();
            if (killed > 0 || deleted)
            {
                _logger.LogInformation(
                    "Cleaned up {Engine} browser (pid {Pid}) {When}: killed {Killed} leftover processes, removed profile folder: {Deleted}",
                    Engine, processes.Main?.Pid, when, killed, deleted);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "Cleaning up after {Engine} browser (pid {Pid}) failed", Engine, processes.Main?.Pid);
        }
    }

    private void Track(object key, Task work)
    {
        _background[key] = work;
        _ = work.ContinueWith(
            _ => _background.TryRemove(new KeyValuePair<object, Task>(key, work)), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private static async Task WhenAllSafe(IEnumerable<Task> tasks)
    {
        try
        {
            await Task.WhenAll(tasks.ToArray());
        }
        catch (Exception)
        {
            // Each piece of background work logs its own failure.
        }
    }
}
