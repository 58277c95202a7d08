using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BrowserAutomation.Automation.Pool;

/// <summary>
/// What happens to an engine's browsers on their way out: closing them, killing the processes they leave running,
/// removing their profile folders (and dead drivers' folders), and keeping track of that work while it runs in the
/// background so the pool can wait for it at shutdown.
/// </summary>
internal sealed class BrowserCleanup
{
    /// <summary>How long a context or a browser gets to close politely.</summary>
    internal static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly string _engine;
    private readonly BrowserPool _pool;
    private readonly BrowserOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<object, Task> _background = new();

    public BrowserCleanup(string engine, BrowserPool pool, BrowserOptions options, ILogger logger)
    {
        _engine = engine;
        _pool = pool;
        _options = options;
        _logger = logger;
    }

    /// <summary>Contexts whose close is still under way, and other background clean-up.</summary>
    public int Pending => _background.Count;

    /// <summary>Browsers out of the pool and still closing.</summary>
    public int ClosingBrowsers => _background.Keys.OfType<PooledBrowser>().Count();

    /// <summary>Runs <paramref name="work"/> in the background under <paramref name="key"/> until it ends.</summary>
    public void Track(object key, Task work)
    {
        _background[key] = work;
        _ = work.ContinueWith(
            _ => _background.TryRemove(new KeyValuePair<object, Task>(key, work)), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    public void CloseInBackground(PooledBrowser pooled) => Track(pooled, CloseAndCleanUpAsync(pooled));

    /// <summary>A launch that timed out on our side may still have started a browser: find it and remove it.</summary>
    public void AfterFailedLaunch(PooledBrowser pooled)
    {
        if (pooled.TryStartCleanup())
        {
            Track(pooled.Processes, LocateAndCleanUpAsync(pooled.Processes));
        }
    }

    public void AfterDisconnect(PooledBrowser pooled, bool crashed)
    {
        if (pooled.TryStartCleanup())
        {
            Track(pooled.Processes, CleanUpAsync(pooled.Processes, crashed ? "after a crash" : "after closing"));
        }
    }

    /// <summary>Waits for the contexts still closing.</summary>
    public Task WhenReleasedAsync() => WhenAllSafe(_background.Where(static w => w.Key is BrowserLease).Select(static w => w.Value));

    /// <summary>Waits for every piece of background work.</summary>
    public Task WhenIdleAsync() => WhenAllSafe(_background.Values);

    public async Task CloseAndCleanUpAsync(PooledBrowser pooled)
    {
        try
        {
            var browser = await pooled.Launch.WaitAsync(TimeSpan.FromMilliseconds(_options.LaunchTimeoutMs));
            // Its children are recorded while it is alive, so none can escape once it is gone.
            pooled.Processes.Refresh();
            await browser.CloseAsync().WaitAsync(CloseTimeout);
        }
        catch (Exception ex)
        {
            // A failed launch cleans up after itself; anything else left behind is killed below.
            _logger.LogDebug(ex, "Closing {Engine} browser #{BrowserId} failed", _engine, pooled.Id);
        }

        if (pooled.TryStartCleanup())
        {
            await CleanUpAsync(pooled.Processes, "after closing");
        }
    }

    public async Task CleanUpAsync(BrowserProcessGroup processes, string when)
    {
        try
        {
            var killed = await processes.KillAsync();
            var deleted = await processes.DeleteProfileAsync();
            _pool.SweepDeadDriverFolders();
            if (killed > 0 || deleted)
            {
                _logger.LogInformation(
                    "Cleaned up {Engine} browser (pid {Pid}) {When}: killed {Killed} leftover processes, removed profile folder: {Deleted}",
                    _engine, processes.Main?.Pid, when, killed, deleted);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "Cleaning up after {Engine} browser (pid {Pid}) failed", _engine, processes.Main?.Pid);
        }
    }

    private async Task LocateAndCleanUpAsync(BrowserProcessGroup processes)
    {
        processes.Locate();
        await CleanUpAsync(processes, "after a failed launch");
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
