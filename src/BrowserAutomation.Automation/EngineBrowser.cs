using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation;

/// <summary>
/// One engine's long-lived browser: launches it, notices when it dies, relaunches it on the next acquire,
/// and opens/closes the per-job contexts. A fuller pool (several browsers, recycling) grows from here.
/// </summary>
internal sealed class EngineBrowser
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

    private static readonly TimeSpan ContextCloseTimeout = TimeSpan.FromSeconds(5);

    private readonly BrowserPool _pool;
    private readonly BrowserOptions _options;
    private readonly ILogger _logger;

    // Guards only the decision to start a launch: the launch task is shared by every waiter, so there
    // is at most one launch in flight, and a waiter that gives up cannot orphan the browser it started.
    private readonly Lock _launchGate = new();
    private Task<IBrowser>? _launch;
    private volatile EngineStatus _status = EngineStatus.NotStarted;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<BrowserLease, Task> _closing = new();

    public EngineBrowser(string engine, BrowserPool pool, BrowserOptions options, ILogger logger)
    {
        Engine = engine;
        _pool = pool;
        _options = options;
        _logger = logger;
    }

    public string Engine { get; }

    public EngineStatus Status => _status;

    public async Task<IBrowser> GetBrowserAsync(CancellationToken cancellationToken)
    {
        if (TryGetConnected(out IBrowser? browser))
        {
            return browser;
        }

        Task<IBrowser> launch;
        lock (_launchGate)
        {
            if (TryGetConnected(out browser))
            {
                return browser;
            }

            // Never launched, launch failed, or the browser it gave has since disconnected.
            if (_launch is null || _launch.IsCompleted)
            {
                _launch = Task.Run(LaunchAsync);
            }

            launch = _launch;
        }

        try
        {
            return await launch.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new BrowserUnavailableException(Engine, configured: true, $"The {Engine} browser could not be launched: {ex.Message}", ex);
        }
    }

    public async Task<BrowserLease> NewContextAsync(BrowserNewContextOptions? options, CancellationToken cancellationToken)
    {
        IBrowser browser = await GetBrowserAsync(cancellationToken);
        try
        {
            IBrowserContext context = await browser.NewContextAsync(options).WaitAsync(cancellationToken);
            return new BrowserLease(this, browser, context);
        }
        catch (PlaywrightException ex) when (!browser.IsConnected)
        {
            throw new BrowserUnavailableException(Engine, configured: true, $"The {Engine} browser disconnected while opening a context.", ex);
        }
    }

    public async Task ReleaseAsync(BrowserLease lease)
    {
        if (!lease.Browser.IsConnected)
        {
            return;
        }

        try
        {
            await lease.Context.CloseAsync().WaitAsync(ContextCloseTimeout);
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            _logger.LogWarning(ex, "Closing a {Engine} context failed", Engine);
        }
    }

    public void ReleaseInBackground(BrowserLease lease)
    {
        _closing[lease] = Task.Run(async () =>
        {
            try
            {
                await ReleaseAsync(lease);
            }
            finally
            {
                _closing.TryRemove(lease, out _);
            }
        });
    }

    /// <summary>Contexts whose close is still under way.</summary>
    public int ClosingContexts => _closing.Count;

    public async Task CloseAsync()
    {
        await Task.WhenAll(_closing.Values);
        Task<IBrowser>? launch = _launch;
        if (launch is null)
        {
            return;
        }

        try
        {
            IBrowser browser = await launch.WaitAsync(TimeSpan.FromMilliseconds(_options.LaunchTimeoutMs));
            await browser.CloseAsync().WaitAsync(ContextCloseTimeout);
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            _logger.LogDebug(ex, "Closing the {Engine} browser failed", Engine);
        }
    }

    private bool TryGetConnected([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IBrowser? browser)
    {
        Task<IBrowser>? launch = _launch;
        browser = launch is { IsCompletedSuccessfully: true } && launch.Result.IsConnected ? launch.Result : null;
        return browser is not null;
    }

    private async Task<IBrowser> LaunchAsync()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            IPlaywright playwright = await _pool.GetPlaywrightAsync();
            clock.Restart();
            IBrowser browser;
            try
            {
                browser = await LaunchWithAsync(playwright);
            }
            catch (PlaywrightException ex) when (ex.Message.Contains("Process exited", StringComparison.Ordinal))
            {
                // The Node driver died (every IBrowser of that IPlaywright disconnected with it): start a new one.
                _logger.LogWarning("The Playwright driver is gone; starting a new one");
                playwright = await _pool.ReplacePlaywrightAsync(playwright);
                clock.Restart();
                browser = await LaunchWithAsync(playwright);
            }

            string version = browser.Version;
            browser.Disconnected += (_, _) => OnDisconnected(version);
            _status = new EngineStatus(true, version, null, DateTimeOffset.UtcNow);
            _logger.LogInformation("Launched {Engine} {Version} in {ElapsedMs} ms", Engine, version, clock.ElapsedMilliseconds);
            return browser;
        }
        catch (Exception ex)
        {
            _status = new EngineStatus(false, null, ex.Message, DateTimeOffset.UtcNow);
            _logger.LogError(ex, "Launching {Engine} failed after {ElapsedMs} ms", Engine, clock.ElapsedMilliseconds);
            throw;
        }
    }

    private Task<IBrowser> LaunchWithAsync(IPlaywright playwright)
    {
        var options = new BrowserTypeLaunchOptions
        {
            Headless = _options.Headless,
            Timeout = _options.LaunchTimeoutMs,
        };

        switch (Engine)
        {
            case BrowserEngines.Chromium:
                options.Args = ChromiumArgs;
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

                return playwright.Firefox.LaunchAsync(options);

            case BrowserEngines.WebKit:
                return playwright.Webkit.LaunchAsync(options);

            default:
                throw new InvalidOperationException($"Unknown engine '{Engine}'.");
        }
    }

    private void OnDisconnected(string version)
    {
        if (_pool.IsDisposed)
        {
            return;
        }

        _status = new EngineStatus(false, version, "The browser disconnected; it is relaunched on the next acquire.", DateTimeOffset.UtcNow);
        _logger.LogWarning("The {Engine} browser disconnected; it will be relaunched on the next acquire", Engine);
    }
}
