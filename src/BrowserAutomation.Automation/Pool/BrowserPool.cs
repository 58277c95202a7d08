using System.Collections.Frozen;
using System.Diagnostics;
using BrowserAutomation.Networking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Pool;

/// <summary>
/// The process's browsers: one Playwright driver (see <see cref="PlaywrightDrivers"/>) and, per configured engine,
/// a pool of long-lived browsers (see <see cref="EnginePool"/>) handing out a fresh context per job. When the driver
/// dies it is replaced and the browsers it leaves behind are killed.
/// </summary>
public sealed class BrowserPool : IAsyncDisposable
{
    private static readonly TimeSpan ProcessRefreshInterval = TimeSpan.FromSeconds(10);

    private readonly ILogger<BrowserPool> _logger;
    private readonly FrozenDictionary<string, EnginePool> _engines;
    private readonly PlaywrightDrivers _drivers;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _maintenance;
    private int _disposed;

    /// <param name="egress">
    /// The browsers' only way out (see <see cref="EgressProxy"/>); the caller owns it. It is started, if it is not
    /// yet, before the first browser launches.
    /// </param>
    public BrowserPool(IOptions<BrowserOptions> options, ILogger<BrowserPool> logger, EgressProxy egress)
    {
        _logger = logger;
        Egress = egress ?? throw new ArgumentNullException(nameof(egress));
        Options = options.Value;
        _engines = Options.ResolveEngines().ToFrozenDictionary(
            engine => engine,
            engine => new EnginePool(engine, this, Options, logger),
            StringComparer.OrdinalIgnoreCase);
        _drivers = new PlaywrightDrivers(this, logger, () => _engines.Values.SelectMany(static e => e.ProcessHistory()));
    }

    /// <summary>The state of every configured engine, as last observed (whether its browser launches, and why not).</summary>
    public IReadOnlyDictionary<string, EngineStatus> Engines =>
        _engines.ToDictionary(e => e.Key, e => e.Value.Status, StringComparer.OrdinalIgnoreCase);

    internal BrowserOptions Options { get; }

    /// <summary>The proxy every browser of this pool is launched behind; it enforces the URL policy.</summary>
    public EgressProxy Egress { get; }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Per engine: browsers, open contexts, pages served, recycled, crashed, launch failures.</summary>
    public IReadOnlyDictionary<string, EnginePoolStats> GetStats() =>
        _engines.ToDictionary(e => e.Key, e => e.Value.GetStats(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Launches every configured engine's minimum of browsers. Failures are recorded in <see cref="Engines"/>, not thrown.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        OrphanSweeper.Sweep(Path.GetDirectoryName(_drivers.TempRoot)!, _logger);
        Egress.Start();
        StartMaintenance();
        await Task.WhenAll(_engines.Values.Select(engine => engine.WarmUpAsync(cancellationToken)));
    }

    /// <summary>Opens a fresh context on one of the engine's browsers, launching one first if none has room.</summary>
    /// <exception cref="BrowserUnavailableException">The engine is not served here or its browser cannot be launched.</exception>
    public Task<BrowserLease> AcquireContextAsync(string engine, BrowserNewContextOptions? options, CancellationToken cancellationToken) =>
        AcquireContextAsync(engine, options, null, cancellationToken);

    /// <summary>
    /// Like <see cref="AcquireContextAsync(string, BrowserNewContextOptions?, CancellationToken)"/>; a job with default
    /// context options passes their <paramref name="warmKey"/> and gets a pre-warmed context (with its blank page in
    /// <see cref="BrowserLease.Page"/>) when one is ready. <paramref name="options"/> must be what that key stands for.
    /// </summary>
    public Task<BrowserLease> AcquireContextAsync(string engine, BrowserNewContextOptions? options, WarmKey? warmKey, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!_engines.TryGetValue(engine, out var enginePool))
        {
            throw new BrowserUnavailableException(
                engine, configured: false, $"This process does not serve the '{engine}' engine (it serves {string.Join(", ", _engines.Keys)}).");
        }

        Egress.Start();
        StartMaintenance();
        return enginePool.NewContextAsync(options, warmKey, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_maintenance is { } maintenance)
        {
            await maintenance;
        }

        await Task.WhenAll(_engines.Values.Select(engine => engine.CloseAsync()));
        _drivers.Dispose();
        // With the driver gone nothing can be closed politely any more: kill what is left (Firefox outlives its driver).
        await Task.WhenAll(_engines.Values.Select(engine => engine.SweepAsync()));
        _drivers.DeleteTempRoot();
        _stopping.Dispose();
        _logger.LogDebug("Browser pool closed");
    }

    internal EnginePool EngineFor(string engine) => _engines[engine];

    /// <summary>A Playwright device descriptor (a copy: the caller may change it), or null for an unknown name.</summary>
    internal async Task<BrowserNewContextOptions?> DeviceAsync(string name)
    {
        var playwright = await GetPlaywrightAsync();
        return playwright.Devices.TryGetValue(name, out var descriptor) ? new BrowserNewContextOptions(descriptor) : null;
    }

    internal Task<IPlaywright> GetPlaywrightAsync() => _drivers.GetAsync();

    internal Task<IPlaywright> ReplacePlaywrightAsync(IPlaywright dead) => _drivers.ReplaceAsync(dead);

    /// <summary>A browser noticed that the driver that launched it is gone: start its successor now rather than on the next launch.</summary>
    internal void OnDriverDied(IPlaywright dead)
    {
        _logger.LogWarning("The Playwright driver died; starting a new one");
        _ = Task.Run(async () =>
        {
            try
            {
                await ReplacePlaywrightAsync(dead);
            }
            catch (Exception ex) when (ex is PlaywrightException or ObjectDisposedException or IOException)
            {
                _logger.LogError(ex, "Starting a new Playwright driver failed; the next launch tries again");
            }
        });
    }

    /// <summary>The error a call gets when the Node driver behind it has died.</summary>
    internal static bool IsDriverGone(PlaywrightException exception) => PlaywrightDrivers.IsDriverGone(exception);

    /// <summary>The private temporary folder of the driver that launched a browser (where its profile and artifacts live).</summary>
    internal string? TempFolderOf(IPlaywright playwright) => _drivers.TempFolderOf(playwright);

    /// <summary>Deletes the folders of dead drivers whose browsers are all gone.</summary>
    internal void SweepDeadDriverFolders() => _drivers.SweepDeadDriverFolders();

    private void StartMaintenance()
    {
        if (Volatile.Read(ref _maintenance) is null)
        {
            var loop = new Task<Task>(MaintainAsync);
            if (Interlocked.CompareExchange(ref _maintenance, loop.Unwrap(), null) is null)
            {
                loop.Start(TaskScheduler.Default);
            }
        }
    }

    /// <summary>Closes idle browsers, tops engines up to their minimum and records browser child processes, until disposed.</summary>
    private async Task MaintainAsync()
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(Options.IdleTimeoutMs / 4, 100, 15_000));
        using var timer = new PeriodicTimer(period);
        var sinceRefresh = Stopwatch.StartNew();
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                IReadOnlyList<ProcessEntry>? snapshot = null;
                if (sinceRefresh.Elapsed >= ProcessRefreshInterval && ProcFs.Supported)
                {
                    snapshot = ProcFs.Snapshot();
                    sinceRefresh.Restart();
                }

                foreach (var engine in _engines.Values)
                {
                    try
                    {
                        engine.Maintain(snapshot);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        _logger.LogError(ex, "Maintaining the {Engine} pool failed", engine.Engine);
                    }
                }

                SweepDeadDriverFolders();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }
}
