using System.Globalization;
using System.Text;

namespace BrowserAutomation.Automation.Pool;

/// <summary>Reads the Linux process table; every call tolerates processes vanishing under it.</summary>
internal static class ProcFs
{
    public static bool Supported { get; } = OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    public static ProcessEntry? Read(int pid)
    {
        try
        {
            // "pid (comm) state ppid ... starttime(22nd field)": comm may hold spaces and parentheses, so parse after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return new ProcessEntry(
                pid,
                int.Parse(rest[1], CultureInfo.InvariantCulture),
                long.Parse(rest[19], CultureInfo.InvariantCulture),
                rest[0][0]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static List<ProcessEntry> Snapshot()
    {
        var entries = new List<ProcessEntry>();
        if (!Supported)
        {
            return entries;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>Whether the process with this PID is still the one that started at <paramref name="startTicks"/>.</summary>
    public static bool IsRunning(int pid, long startTicks) => Read(pid) is { IsAlive: true } entry && entry.StartTicks == startTicks;

    public static string? ExecutableOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/exe").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string[] CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Whether the process was started with exactly <paramref name="variable"/> in its environment.</summary>
    public static bool HasEnvironmentVariable(int pid, string variable)
    {
        try
        {
            var environ = File.ReadAllBytes($"/proc/{pid}/environ");
            var needle = Encoding.UTF8.GetBytes(variable + "\0");
            var at = environ.AsSpan().IndexOf(needle);
            return at == 0 || (at > 0 && environ[at - 1] == 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The value of <paramref name="name"/> in the environment the process was started with, or null.</summary>
    public static string? EnvironmentVariable(int pid, string name)
    {
        try
        {
            var prefix = name + "=";
            foreach (var entry in Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/environ")).Split('\0'))
            {
                if (entry.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return entry[prefix.Length..];
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every process below the given roots, by parent links in <paramref name="snapshot"/>.</summary>
    public static IEnumerable<ProcessEntry> DescendantsOf(IReadOnlyCollection<int> roots, IReadOnlyList<ProcessEntry> snapshot)
    {
        var children = snapshot.ToLookup(static e => e.ParentPid);
        var pending = new Queue<int>(roots);
        var seen = new HashSet<int>(roots);
        while (pending.Count > 0)
        {
            foreach (var child in children[pending.Dequeue()])
            {
                if (seen.Add(child.Pid))
                {
                    pending.Enqueue(child.Pid);
                    yield return child;
                }
            }
        }
    }

    /// <summary>SIGKILL, only if the PID still belongs to the process that started at <paramref name="startTicks"/>.</summary>
    public static bool Kill(int pid, long startTicks)
    {
        if (!IsRunning(pid, startTicks))
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It exited between the check and the kill.
            return false;
        }
    }
}
