using System.Globalization;
using BrowserAutomation.Automation.Pool;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>Finds the pool's browser processes so a test can kill them (only ever our own) and prove that none outlived their browser.</summary>
internal static class BrowserProcesses
{
    /// <summary>The main process of one of the engine's browsers, as the pool recorded it; /proc confirms it descends from this process.</summary>
    public static async Task<BrowserProcessGroup> AnyBrowserAsync(BrowserPool pool, string engine, string executablePath)
    {
        await using (await pool.AcquireContextAsync(engine, null, CancellationToken.None))
        {
        }

        var group = pool.EngineFor(engine).LiveProcessGroups().First(static g => g.Main is not null);
        Assert.Equal(executablePath, ExecutableOf(group.Main!.Value.Pid));
        Assert.Contains(group.Main.Value.Pid, OurBrowserMainProcesses(executablePath));
        Assert.NotNull(group.ProfileDirectory);
        Assert.True(Directory.Exists(group.ProfileDirectory), $"{group.ProfileDirectory} should exist while the browser runs");
        return group;
    }

    /// <summary>Processes running <paramref name="executablePath"/> whose parent chain leads to us and whose parent is not the browser itself.</summary>
    public static IReadOnlyList<int> OurBrowserMainProcesses(string executablePath)
    {
        var self = Environment.ProcessId;
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || ExecutableOf(pid) != executablePath
                || ExecutableOf(ParentOf(pid) ?? 0) == executablePath
                || IsZombie(pid))
            {
                continue;
            }

            for (var ancestor = ParentOf(pid); ancestor is > 1; ancestor = ParentOf(ancestor.Value))
            {
                if (ancestor == self)
                {
                    found.Add(pid);
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>Every process the groups ever recorded (and anything carrying their launch marker) is gone, and so are their profile folders.</summary>
    public static void AssertGone(IEnumerable<BrowserProcessGroup> groups)
    {
        foreach (var group in groups)
        {
            Assert.Empty(group.Running());
            if (group.ProfileDirectory is { } profile)
            {
                Assert.False(Directory.Exists(profile), $"profile folder {profile} left behind");
            }
        }
    }

    public static bool IsGone(BrowserProcessGroup group) =>
        group.Running().Count == 0 && (group.ProfileDirectory is null || !Directory.Exists(group.ProfileDirectory));

    /// <summary>The Playwright driver (Node) that started the given browser.</summary>
    public static int DriverOf(int browserPid)
    {
        var driver = ParentOf(browserPid) ?? throw new InvalidOperationException($"Process {browserPid} is gone.");
        Assert.EndsWith("/node", ExecutableOf(driver), StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessId, ParentOf(driver));
        return driver;
    }

    private static string? ExecutableOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/exe").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so parse after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(rest[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
