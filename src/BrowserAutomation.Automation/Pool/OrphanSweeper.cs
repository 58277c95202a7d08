using System.Globalization;
using Microsoft.Extensions.Logging;

namespace BrowserAutomation.Automation.Pool;

/// <summary>
/// What a worker that was killed outright (SIGKILL, OOM killer, power loss of the container's init) could not clean up:
/// its browsers, re-parented to init, and its private temporary folder with the profiles. Run when a pool starts.
/// Only ever touches what a pool created: processes carrying a launch marker (<see cref="BrowserProcessGroup.MarkerVariable"/>,
/// "<c>{worker pid}-{guid}</c>") and folders named <c>browser-automation-{worker pid}-{guid}</c>, and only when that
/// worker process no longer exists.
/// </summary>
internal static class OrphanSweeper
{
    public const string FolderPrefix = "browser-automation-";

    public static (int Processes, int Folders) Sweep(string temporaryRoot, ILogger logger)
    {
        if (!ProcFs.Supported)
        {
            return (0, 0);
        }

        var snapshot = ProcFs.Snapshot();
        var orphans = new List<ProcessEntry>();
        foreach (var entry in snapshot)
        {
            if (entry.IsAlive && entry.Pid != Environment.ProcessId
                && ProcFs.EnvironmentVariable(entry.Pid, BrowserProcessGroup.MarkerVariable) is { } marker
                && OwnerOf(marker) is int owner && !IsAlive(owner))
            {
                orphans.Add(entry);
            }
        }

        // Chromium scrubs its children's environment: they are found below the marked main process.
        var victims = orphans.Concat(ProcFs.DescendantsOf(orphans.Select(static o => o.Pid).ToList(), snapshot))
            .DistinctBy(static e => e.Pid)
            .ToList();
        var killed = victims.Count(static v => ProcFs.Kill(v.Pid, v.StartTicks));

        var removed = 0;
        foreach (var folder in SafeEnumerate(temporaryRoot))
        {
            if (OwnerOf(Path.GetFileName(folder)[FolderPrefix.Length..]) is int owner && !IsAlive(owner))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                    removed++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning("Could not remove {Folder}, left by a worker that no longer runs: {Error}", folder, ex.Message);
                }
            }
        }

        if (killed > 0 || removed > 0)
        {
            logger.LogWarning(
                "Cleaned up after workers that were killed outright: {Processes} browser processes ended, {Folders} temporary folders removed",
                killed, removed);
        }

        return (killed, removed);
    }

    /// <summary>The worker PID at the start of "<c>{pid}-{guid}</c>".</summary>
    private static int? OwnerOf(string marker)
    {
        var dash = marker.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && int.TryParse(marker.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private static bool IsAlive(int pid) => ProcFs.Read(pid) is { IsAlive: true };

    private static List<string> SafeEnumerate(string root)
    {
        try
        {
            return Directory.EnumerateDirectories(root, FolderPrefix + "*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
