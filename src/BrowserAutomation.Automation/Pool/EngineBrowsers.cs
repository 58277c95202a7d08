using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Pool;

/// <summary>
/// The book-keeping of one engine's pool, all under one lock: which browsers it holds, which one takes the next
/// context, when one is recycled or idle long enough to close, how many must be launched to reach the minimum, and
/// the counts behind <see cref="EnginePoolStats"/>. It does no I/O; <see cref="EnginePool"/> acts on its answers.
/// </summary>
internal sealed class EngineBrowsers
{
    private const int HistorySize = 64;

    private readonly string _engine;
    private readonly BrowserPool _pool;
    private readonly BrowserOptions _options;
    private readonly ILogger _logger;
    private readonly Func<PooledBrowser, Task<IBrowser>> _launch;
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

    /// <param name="launch">Starts a new browser's launch; called under the lock, so it must return at once.</param>
    public EngineBrowsers(string engine, BrowserPool pool, BrowserOptions options, ILogger logger, Func<PooledBrowser, Task<IBrowser>> launch)
    {
        _engine = engine;
        _pool = pool;
        _options = options;
        _logger = logger;
        _launch = launch;
    }

    public EnginePoolStats GetStats(int closingBrowsers, int warmReady, long warmHits, long warmMisses)
    {
        lock (_gate)
        {
            return new EnginePoolStats(
                _engine,
                _browsers.Count + closingBrowsers,
                _browsers.Count(static b => b.Draining),
                _browsers.Sum(static b => b.Active + b.Closing),
                _pagesServed,
                _launched,
                _recycled,
                _idleClosed,
                _crashed,
                _launchFailures,
                warmReady,
                warmHits,
                warmMisses);
        }
    }

    /// <summary>Contexts in use by jobs (reserved or running), warm ones and closing ones aside.</summary>
    public int RunningContexts()
    {
        lock (_gate)
        {
            return _browsers.Sum(static b => b.Active);
        }
    }

    /// <summary>
    /// A launched, connected browser with room for one more context, to warm one on; null when there is none (warming
    /// never launches a browser). The context counts as warm, not as work, until a job takes it.
    /// </summary>
    public PooledBrowser? ReserveWarm()
    {
        lock (_gate)
        {
            if (_pool.IsDisposed)
            {
                return null;
            }

            var pick = _browsers
                .Where(b => !b.Draining && !b.Retired && b.Launched && b.Browser is not { IsConnected: false } && b.Active + b.Warm < _options.ContextsPerBrowser)
                .MinBy(static b => b.Active + b.Warm);
            if (pick is not null)
            {
                pick.Warm++;
            }

            return pick;
        }
    }

    /// <summary>
    /// A job takes a warm context of <paramref name="browser"/>: it now counts as work and as a page served. False
    /// (nothing changed) when the browser no longer takes work: recycled, retired or disconnected.
    /// </summary>
    public bool TakeWarm(PooledBrowser browser)
    {
        lock (_gate)
        {
            if (browser.Draining || browser.Retired || browser.Browser is not { IsConnected: true })
            {
                return false;
            }

            browser.Warm--;
            Count(browser);
            return true;
        }
    }

    /// <summary>A warm context that will not serve a job: it counts as work being released, so the usual release path closes it.</summary>
    public void AbandonWarm(PooledBrowser browser)
    {
        lock (_gate)
        {
            browser.Warm--;
            browser.Active++;
        }
    }

    /// <summary>The process groups of the browsers in the pool now.</summary>
    public IReadOnlyList<BrowserProcessGroup> LiveProcessGroups()
    {
        lock (_gate)
        {
            return _browsers.Select(static b => b.Processes).ToArray();
        }
    }

    /// <summary>The process groups of the last browsers launched, closed ones included.</summary>
    public IReadOnlyList<BrowserProcessGroup> ProcessHistory()
    {
        lock (_gate)
        {
            return _history.ToArray();
        }
    }

    /// <summary>Picks the browser for a new context (launching one if none has room) and counts the context on it.</summary>
    public PooledBrowser Reserve()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_pool.IsDisposed, _pool);
            var accepting = _browsers.Where(static b => !b.Draining && b.Browser is not { IsConnected: false }).ToList();
            var pick = accepting.Where(b => b.Active < _options.ContextsPerBrowser).MinBy(static b => b.Active);
            if (pick is null && accepting.Count < _options.MaxBrowsers)
            {
                pick = StartLaunch();
            }

            // Every browser full and no room for another: the least busy one takes one more.
            pick ??= accepting.MinBy(static b => b.Active) ?? StartLaunch();
            Count(pick);
            return pick;
        }
    }

    /// <summary>A lease's context starts closing: it no longer counts as work, only as closing.</summary>
    public void BeginRelease(PooledBrowser browser)
    {
        lock (_gate)
        {
            browser.Active--;
            browser.Closing++;
        }
    }

    /// <summary>Takes back a reserved (or, with <paramref name="closed"/>, a closed) context; true when the browser is now recycled and must close.</summary>
    public bool Unreserve(PooledBrowser browser, bool closed)
    {
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
            if (browser.Draining && browser.Active == 0 && browser.Closing == 0 && browser.Warm == 0 && !browser.Retired)
            {
                Retire(browser);
                _recycled++;
                return true;
            }

            return false;
        }
    }

    /// <summary>Starts launches until <paramref name="minimum"/> (default: the configured one) browsers accept work.</summary>
    public List<PooledBrowser> EnsureMinimum(int? minimum = null)
    {
        var launching = new List<PooledBrowser>();
        lock (_gate)
        {
            if (_pool.IsDisposed)
            {
                return launching;
            }

            for (var accepting = _browsers.Count(static b => !b.Draining); accepting < (minimum ?? _options.MinBrowsers); accepting++)
            {
                launching.Add(StartLaunch());
            }
        }

        return launching;
    }

    /// <summary>
    /// Retires the browsers beyond the minimum that have been idle too long (warm contexts are no work: they go with
    /// the browser); null once the pool is disposed.
    /// </summary>
    public List<PooledBrowser>? RetireIdle()
    {
        var idle = new List<PooledBrowser>();
        lock (_gate)
        {
            if (_pool.IsDisposed)
            {
                return null;
            }

            var now = Environment.TickCount64;
            var accepting = _browsers.Where(static b => !b.Draining && b.Browser is { IsConnected: true }).ToList();
            var excess = _browsers.Count(static b => !b.Draining) - _options.MinBrowsers;
            // The most used go first: they are the closest to being recycled anyway.
            foreach (var browser in accepting
                .Where(b => b.Active == 0 && b.Closing == 0 && now - b.IdleSince >= _options.IdleTimeoutMs)
                .OrderByDescending(static b => b.Served)
                .Take(Math.Max(0, excess)))
            {
                Retire(browser);
                _idleClosed++;
                idle.Add(browser);
            }
        }

        return idle;
    }

    public List<PooledBrowser> RetireAll()
    {
        lock (_gate)
        {
            List<PooledBrowser> all = [.. _browsers];
            foreach (var browser in all)
            {
                Retire(browser);
            }

            return all;
        }
    }

    public void Launched(PooledBrowser browser)
    {
        lock (_gate)
        {
            _launched++;
            browser.Launched = true;
            browser.IdleSince = Environment.TickCount64;
        }
    }

    public void LaunchFailed(PooledBrowser browser)
    {
        lock (_gate)
        {
            browser.Retired = true;
            _browsers.Remove(browser);
            _launchFailures++;
        }
    }

    /// <summary>
    /// Takes a disconnected browser out of the pool; false if its disconnection was handled already. A browser the
    /// pool did not close, while the pool is not shutting down, has <paramref name="crashed"/>.
    /// </summary>
    public bool TryDisconnect(PooledBrowser browser, out bool crashed)
    {
        lock (_gate)
        {
            crashed = false;
            if (browser.Disconnected)
            {
                return false;
            }

            browser.Disconnected = true;
            crashed = !browser.ClosedByPool && !_pool.IsDisposed;
            browser.Retired = true;
            _browsers.Remove(browser);
            if (crashed)
            {
                _crashed++;
            }

            return true;
        }
    }

    // Under _gate: one more context at work on the browser, one more page served; recycles it at its quota.
    private void Count(PooledBrowser pick)
    {
        pick.Active++;
        pick.Served++;
        _pagesServed++;
        if (_options.MaxPagesPerBrowser > 0 && pick.Served >= _options.MaxPagesPerBrowser && !pick.Draining)
        {
            pick.Draining = true;
            _logger.LogInformation(
                "Recycling {Engine} browser #{BrowserId}: it served {Pages} pages; it closes when its last context does",
                _engine, pick.Id, pick.Served);
        }
    }

    // Under _gate.
    private PooledBrowser StartLaunch()
    {
        var browser = new PooledBrowser(++_nextId, new BrowserProcessGroup(_engine));
        _browsers.Add(browser);
        _history.Enqueue(browser.Processes);
        while (_history.Count > HistorySize)
        {
            _history.Dequeue();
        }

        browser.Launch = Task.Run(() => _launch(browser));
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
}
