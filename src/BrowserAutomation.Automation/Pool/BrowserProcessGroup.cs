using System.Collections;

namespace BrowserAutomation.Automation.Pool;

/// <summary>
/// The processes and profile folder of one browser launch, so that nothing outlives it: not when the browser
/// crashes, not when the Playwright driver dies (Firefox survives its driver), not at shutdown.
/// Every launch gets its own marker in its environment; the browser's main process (and, for Firefox, every child)
/// carries it, which finds the launch's processes even after they were re-parented to init. Chromium scrubs its
/// children's environment, so their PIDs are recorded while the main process is alive.
/// </summary>
internal sealed class BrowserProcessGroup
{
    public const string MarkerVariable = "BROWSER_AUTOMATION_POOL_BROWSER";

    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly HashSet<(int Pid, long Start)> _known = [];

    public BrowserProcessGroup(string engine)
    {
        Engine = engine;
        Marker = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    }

    public string Engine { get; }

    public string Marker { get; }

    /// <summary>The browser's main process, once <see cref="Locate"/> found it.</summary>
    public ProcessEntry? Main { get; private set; }

    public string? Executable { get; private set; }

    /// <summary>The temporary profile folder Playwright created for this launch (only ever a playwright_*_profile-* folder).</summary>
    public string? ProfileDirectory { get; private set; }

    /// <summary>The Playwright driver (Node) that launched the browser.</summary>
    public ProcessEntry? Driver { get; private set; }

    /// <summary>Every process seen belonging to this launch (main process and descendants).</summary>
    public IReadOnlyCollection<(int Pid, long Start)> KnownProcesses
    {
        get
        {
            lock (_gate)
            {
                return _known.ToArray();
            }
        }
    }

    /// <summary>This process's environment plus the launch's marker (and the driver's temporary folder), for BrowserTypeLaunchOptions.Env.</summary>
    public Dictionary<string, string> LaunchEnvironment(string? temporaryFolder)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        environment[MarkerVariable] = Marker;
        if (temporaryFolder is not null)
        {
            environment["TMPDIR"] = temporaryFolder;
        }

        return environment;
    }

    /// <summary>Finds the main process (right after launch), its profile folder and its driver.</summary>
    public bool Locate()
    {
        var snapshot = ProcFs.Snapshot();
        var marked = snapshot.Where(e => e.IsAlive && ProcFs.HasEnvironmentVariable(e.Pid, $"{MarkerVariable}={Marker}")).ToList();
        var markedPids = marked.Select(static e => e.Pid).ToHashSet();
        // The main process is the marked one started by the driver; Firefox's crash helper is marked too but
        // re-parents itself to init at once, and carries no profile.
        var main = marked
            .Where(e => !markedPids.Contains(e.ParentPid))
            .OrderBy(e => ProfileFrom(ProcFs.CommandLineOf(e.Pid)) is null)
            .ThenBy(static e => e.ParentPid == 1)
            .ThenBy(static e => e.StartTicks)
            .FirstOrDefault();
        if (main.Pid <= 0)
        {
            return false;
        }

        lock (_gate)
        {
            Main = main;
            Executable = ProcFs.ExecutableOf(main.Pid);
            ProfileDirectory = ProfileFrom(ProcFs.CommandLineOf(main.Pid));
            Driver = snapshot.FirstOrDefault(e => e.Pid == main.ParentPid) is { Pid: > 0 } driver ? driver : null;
            _known.Add((main.Pid, main.StartTicks));
        }

        Refresh(snapshot);
        return true;
    }

    /// <summary>Records the main process's current descendants (call while it is alive: after its death they are re-parented).</summary>
    public void Refresh(IReadOnlyList<ProcessEntry>? snapshot = null)
    {
        if (Main is not { } main)
        {
            return;
        }

        snapshot ??= ProcFs.Snapshot();
        if (!snapshot.Any(e => e.Pid == main.Pid && e.StartTicks == main.StartTicks && e.IsAlive))
        {
            return;
        }

        lock (_gate)
        {
            foreach (var descendant in ProcFs.DescendantsOf([main.Pid], snapshot))
            {
                _known.Add((descendant.Pid, descendant.StartTicks));
            }
        }
    }

    public bool IsDriverAlive => Driver is not { } driver || ProcFs.IsRunning(driver.Pid, driver.StartTicks);

    /// <summary>The processes of this launch that are still running.</summary>
    public IReadOnlyList<ProcessEntry> Running()
    {
        if (!ProcFs.Supported)
        {
            return [];
        }

        var snapshot = ProcFs.Snapshot();
        HashSet<(int Pid, long Start)> known;
        lock (_gate)
        {
            known = [.. _known];
        }

        // A PID counts only while it is the same process (start time) running the browser's files (executable):
        // never a process that reused the PID.
        var directory = Executable is null ? null : Path.GetDirectoryName(Executable);
        bool IsBrowserFile(ProcessEntry entry) =>
            directory is null || ProcFs.ExecutableOf(entry.Pid)?.StartsWith(directory + "/", StringComparison.Ordinal) == true;

        var running = snapshot.Where(e => e.IsAlive && known.Contains((e.Pid, e.StartTicks)) && IsBrowserFile(e)).ToList();
        var runningPids = running.Select(static e => e.Pid).ToHashSet();
        running.AddRange(ProcFs.DescendantsOf(runningPids, snapshot).Where(e => e.IsAlive && IsBrowserFile(e)));
        runningPids = running.Select(static e => e.Pid).ToHashSet();

        foreach (var entry in snapshot)
        {
            if (entry.IsAlive
                && !runningPids.Contains(entry.Pid)
                && entry.Pid != Environment.ProcessId
                && IsBrowserFile(entry)
                && ProcFs.HasEnvironmentVariable(entry.Pid, $"{MarkerVariable}={Marker}"))
            {
                running.Add(entry);
            }
        }

        return running;
    }

    /// <summary>Kills every process of this launch that still runs and waits for them to go. Returns how many it killed.</summary>
    public async Task<int> KillAsync()
    {
        var running = Running();
        var killed = running.Where(static e => ProcFs.Kill(e.Pid, e.StartTicks)).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (killed.Any(static e => ProcFs.IsRunning(e.Pid, e.StartTicks)) && clock.Elapsed < ExitWait)
        {
            await Task.Delay(20);
        }

        return killed.Count;
    }

    /// <summary>Deletes the profile folder if it is still there. Returns whether it deleted something.</summary>
    public async Task<bool> DeleteProfileAsync()
    {
        if (ProfileDirectory is not { } directory || !Directory.Exists(directory))
        {
            return false;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
                return true;
            }
            catch (DirectoryNotFoundException)
            {
                // Playwright removed it in the meantime.
                return false;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && attempt < 5)
            {
                // A process of the browser may still have been writing into it.
                await Task.Delay(50 * attempt);
            }
        }
    }

    private static string? ProfileFrom(string[] commandLine)
    {
        string? candidate = null;
        for (var i = 0; i < commandLine.Length; i++)
        {
            var arg = commandLine[i];
            if (arg.StartsWith("--user-data-dir=", StringComparison.Ordinal))
            {
                candidate = arg["--user-data-dir=".Length..];
            }
            else if (arg is "-profile" or "--profile" && i + 1 < commandLine.Length)
            {
                candidate = commandLine[i + 1];
            }
        }

        // Only ever a folder Playwright made for this launch; never anything else a command line might name.
        return candidate is not null
            && Path.IsPathFullyQualified(candidate)
            && Path.GetFileName(candidate.TrimEnd('/')) is { } name
            && name.StartsWith("playwright_", StringComparison.Ordinal)
            && name.Contains("_profile-", StringComparison.Ordinal)
                ? candidate
                : null;
    }
}
