using System.Diagnostics;
using BrowserAutomation.Automation.Pool;
using Microsoft.Extensions.Logging.Abstractions;

namespace BrowserAutomation.IntegrationTests.Automation.Pool;

/// <summary>
/// A worker killed outright leaves its browsers (re-parented to init) and its temporary folder behind; the next pool
/// start removes exactly those: marked processes and folders whose worker PID no longer exists, nothing else.
/// </summary>
public sealed class OrphanSweeperTests
{
    [Fact]
    public async Task Leftovers_of_a_dead_worker_are_removed_and_those_of_a_live_one_are_kept()
    {
        var deadWorker = await ExitedProcessIdAsync();
        var root = Path.GetTempPath();
        var deadFolder = Path.Combine(root, $"{OrphanSweeper.FolderPrefix}{deadWorker}-{Guid.NewGuid():N}");
        var liveFolder = Path.Combine(root, $"{OrphanSweeper.FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(deadFolder, "driver-1", "playwright_chromiumdev_profile-x"));
        await File.WriteAllTextAsync(Path.Combine(deadFolder, "driver-1", "playwright_chromiumdev_profile-x", "Cookies"), "x");
        Directory.CreateDirectory(liveFolder);

        var orphan = await StartDetachedAsync($"{deadWorker}-{Guid.NewGuid():N}");
        var ours = await StartDetachedAsync($"{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            // Adopted by init (or a subreaper), like a browser whose worker was SIGKILLed.
            Assert.NotEqual(Environment.ProcessId, ProcFs.Read(orphan)?.ParentPid);

            (var processes, var folders) = OrphanSweeper.Sweep(root, NullLogger.Instance);

            Assert.True(processes >= 1, $"{processes} processes ended");
            Assert.True(folders >= 1, $"{folders} folders removed");
            await WaitGoneAsync(orphan);
            Assert.False(Directory.Exists(deadFolder), "the dead worker's folder is still there");
            Assert.True(ProcFs.Read(ours) is { IsAlive: true }, "a browser of a live worker was killed");
            Assert.True(Directory.Exists(liveFolder), "a live worker's folder was removed");
        }
        finally
        {
            foreach (var pid in new[] { orphan, ours })
            {
                if (ProcFs.Read(pid) is { } entry)
                {
                    ProcFs.Kill(pid, entry.StartTicks);
                }
            }

            Directory.Delete(liveFolder, recursive: true);
        }
    }

    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    /// <summary>A `sleep` carrying a launch marker, detached so that init adopts it (as a dead worker's browser would be).</summary>
    private static async Task<int> StartDetachedAsync(string marker)
    {
        var start = new ProcessStartInfo("setsid", ["sh", "-c", "sleep 120 >/dev/null 2>&1 & echo $!"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        start.Environment[BrowserProcessGroup.MarkerVariable] = marker;
        using var shell = Process.Start(start)!;
        var pid = await shell.StandardOutput.ReadToEndAsync();
        await shell.WaitForExitAsync();
        return int.Parse(pid.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitGoneAsync(int pid)
    {
        var clock = Stopwatch.StartNew();
        while (ProcFs.Read(pid) is { IsAlive: true })
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"process {pid} still runs");
            await Task.Delay(50);
        }
    }
}
