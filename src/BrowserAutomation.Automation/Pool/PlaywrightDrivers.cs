using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Pool;

/// <summary>
/// The pool's Playwright driver (a Node process): started on first use, replaced when it dies, each one with a
/// private temporary folder under one root that holds every profile, artifacts and download folder of its browsers,
/// so whatever a dead driver leaves behind can be removed whole.
/// </summary>
internal sealed class PlaywrightDrivers : IDisposable
{
    // Driver starts are serialised process-wide: each briefly sets TMPDIR for the driver it spawns.
    private static readonly SemaphoreSlim DriverStartGate = new(1, 1);

    private readonly BrowserPool _pool;
    private readonly ILogger _logger;
    private readonly Func<IEnumerable<BrowserProcessGroup>> _processHistory;
    private readonly SemaphoreSlim _playwrightGate = new(1, 1);
    private readonly ConcurrentDictionary<IPlaywright, string> _driverFolders = new();
    private readonly ConcurrentDictionary<string, byte> _deadDriverFolders = new(StringComparer.Ordinal);
    private int _driverCount;
    private IPlaywright? _playwright;

    /// <param name="processHistory">The recent browsers of every engine, to tell whether a dead driver's folder is still in use.</param>
    public PlaywrightDrivers(BrowserPool pool, ILogger logger, Func<IEnumerable<BrowserProcessGroup>> processHistory)
    {
        _pool = pool;
        _logger = logger;
        _processHistory = processHistory;
    }

    /// <summary>The folder holding every driver's temporary folder; removed when the pool closes.</summary>
    public string TempRoot { get; } = Path.Combine(Path.GetTempPath(), $"browser-automation-{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>The error a call gets when the Node driver behind it has died.</summary>
    public static bool IsDriverGone(PlaywrightException exception) =>
        exception.Message.Contains("Process exited", StringComparison.Ordinal)
        || exception.Message.Contains("Connection closed", StringComparison.OrdinalIgnoreCase)
        || exception.Message.Contains("Playwright connection closed", StringComparison.Ordinal);

    public async Task<IPlaywright> GetAsync()
    {
        if (Volatile.Read(ref _playwright) is { } playwright)
        {
            return playwright;
        }

        await _playwrightGate.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_pool.IsDisposed, _pool);
            return _playwright ??= await CreateAsync();
        }
        finally
        {
            _playwrightGate.Release();
        }
    }

    public async Task<IPlaywright> ReplaceAsync(IPlaywright dead)
    {
        await _playwrightGate.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_pool.IsDisposed, _pool);
            if (ReferenceEquals(_playwright, dead))
            {
                _playwright = null;
                dead.Dispose();
                if (_driverFolders.TryRemove(dead, out var folder))
                {
                    _deadDriverFolders[folder] = 0;
                }
            }

            return _playwright ??= await CreateAsync();
        }
        finally
        {
            _playwrightGate.Release();
            SweepDeadDriverFolders();
        }
    }

    /// <summary>The private temporary folder of the driver that launched a browser (where its profile and artifacts live).</summary>
    public string? TempFolderOf(IPlaywright playwright) => _driverFolders.GetValueOrDefault(playwright);

    /// <summary>
    /// Deletes the folders of dead drivers once none of their browsers runs any more: Playwright's artifacts folders
    /// (and anything else a dead driver left) go with the profiles.
    /// </summary>
    public void SweepDeadDriverFolders()
    {
        foreach (var folder in _deadDriverFolders.Keys)
        {
            var stillRunning = _processHistory()
                .Any(g => g.ProfileDirectory?.StartsWith(folder + "/", StringComparison.Ordinal) == true && g.Running().Count > 0);
            if (!stillRunning && DeleteFolder(folder))
            {
                _deadDriverFolders.TryRemove(folder, out _);
            }
        }
    }

    /// <summary>Stops the current driver (its browsers lose their connection); the temporary folders stay until <see cref="DeleteTempRoot"/>.</summary>
    public void Dispose() => _playwright?.Dispose();

    public void DeleteTempRoot() => DeleteFolder(TempRoot);

    /// <summary>
    /// Starts a driver whose temporary folder (TMPDIR) is a private one: every profile, artifacts and download folder
    /// Playwright creates for its browsers lands there, so whatever a dead driver leaves behind can be removed whole.
    /// </summary>
    private async Task<IPlaywright> CreateAsync()
    {
        var clock = Stopwatch.StartNew();
        var folder = Path.Combine(TempRoot, $"driver-{Interlocked.Increment(ref _driverCount)}");
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(TempRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        IPlaywright playwright;
        await DriverStartGate.WaitAsync();
        var previous = Environment.GetEnvironmentVariable("TMPDIR");
        var previousNodeOptions = Environment.GetEnvironmentVariable("NODE_OPTIONS");
        try
        {
            // The driver process copies the environment when it is spawned. A heap cap (and a small young generation)
            // makes V8 collect early instead of growing the driver's memory over hundreds of jobs.
            Environment.SetEnvironmentVariable("TMPDIR", folder);
            if (_pool.Options.DriverMaxHeapMb > 0)
            {
                Environment.SetEnvironmentVariable("NODE_OPTIONS", string.Join(' ', new[]
                {
                    previousNodeOptions,
                    string.Create(CultureInfo.InvariantCulture, $"--max-old-space-size={_pool.Options.DriverMaxHeapMb}"),
                    "--max-semi-space-size=2",
                }.Where(static o => !string.IsNullOrWhiteSpace(o))));
            }

            playwright = await Playwright.CreateAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", previous);
            Environment.SetEnvironmentVariable("NODE_OPTIONS", previousNodeOptions);
            DriverStartGate.Release();
        }

        _driverFolders[playwright] = folder;
        _logger.LogInformation("Started the Playwright driver in {ElapsedMs} ms (temporary folder {Folder})", clock.ElapsedMilliseconds, folder);
        return playwright;
    }

    private bool DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "Could not delete {Folder}", folder);
            return false;
        }
    }
}
