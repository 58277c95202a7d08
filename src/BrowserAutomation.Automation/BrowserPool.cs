using System.Collections.Frozen;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation;

/// <summary>
/// The process's browsers: one Playwright driver and one long-lived browser per configured engine,
/// handing out a fresh context per job. A dead browser is relaunched on the next acquire.
/// </summary>
public sealed class BrowserPool : IAsyncDisposable
{
    private readonly ILogger<BrowserPool> _logger;
    private readonly FrozenDictionary<string, EngineBrowser> _engines;
    private readonly SemaphoreSlim _playwrightGate = new(1, 1);
    private IPlaywright? _playwright;
    private int _disposed;

    public BrowserPool(IOptions<BrowserOptions> options, ILogger<BrowserPool> logger)
    {
        _logger = logger;
        BrowserOptions value = options.Value;
        _engines = value.ResolveEngines().ToFrozenDictionary(
            engine => engine,
            engine => new EngineBrowser(engine, this, value, logger),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The state of every configured engine, as last observed.</summary>
    public IReadOnlyDictionary<string, EngineStatus> Engines =>
        _engines.ToDictionary(e => e.Key, e => e.Value.Status, StringComparer.OrdinalIgnoreCase);

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Launches every configured engine. Failures are recorded in <see cref="Engines"/>, not thrown.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        await Task.WhenAll(_engines.Values.Select(engine => WarmUpAsync(engine, cancellationToken)));
    }

    /// <summary>Opens a fresh context on the engine's browser, relaunching the browser first if it died.</summary>
    /// <exception cref="BrowserUnavailableException">The engine is not served here or its browser cannot be launched.</exception>
    public Task<BrowserLease> AcquireContextAsync(string engine, BrowserNewContextOptions? options, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!_engines.TryGetValue(engine, out EngineBrowser? engineBrowser))
        {
            throw new BrowserUnavailableException(
                engine, configured: false, $"This process does not serve the '{engine}' engine (it serves {string.Join(", ", _engines.Keys)}).");
        }

        return engineBrowser.NewContextAsync(options, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_engines.Values.Select(engine => engine.CloseAsync()));
        _playwright?.Dispose();
        _logger.LogDebug("Browser pool closed");
    }

    internal async Task<IPlaywright> GetPlaywrightAsync()
    {
        if (Volatile.Read(ref _playwright) is { } playwright)
        {
            return playwright;
        }

        await _playwrightGate.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _playwright ??= await CreatePlaywrightAsync();
        }
        finally
        {
            _playwrightGate.Release();
        }
    }

    internal async Task<IPlaywright> ReplacePlaywrightAsync(IPlaywright dead)
    {
        await _playwrightGate.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            if (ReferenceEquals(_playwright, dead))
            {
                _playwright = null;
                dead.Dispose();
                _playwright = await CreatePlaywrightAsync();
            }

            return _playwright ??= await CreatePlaywrightAsync();
        }
        finally
        {
            _playwrightGate.Release();
        }
    }

    private async Task<IPlaywright> CreatePlaywrightAsync()
    {
        var clock = Stopwatch.StartNew();
        IPlaywright playwright = await Playwright.CreateAsync();
        _logger.LogInformation("Started the Playwright driver in {ElapsedMs} ms", clock.ElapsedMilliseconds);
        return playwright;
    }

    private static async Task WarmUpAsync(EngineBrowser engine, CancellationToken cancellationToken)
    {
        try
        {
            await engine.GetBrowserAsync(cancellationToken);
        }
        catch (BrowserUnavailableException)
        {
            // Already logged and recorded in the engine's status; the next acquire tries again.
        }
    }
}
