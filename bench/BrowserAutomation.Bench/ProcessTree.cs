using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.Bench;

/// <summary>Processes read from /proc: RSS, children, and which process listens on a port.</summary>
internal static class ProcessTree
{
    public static long RssBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>CPU time (user + system) the process has used so far, in milliseconds.</summary>
    public static double CpuMs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Every process with its parent.</summary>
    public static Dictionary<int, int> Parents()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        return parents;
    }

    public static List<int> Descendants(int root)
    {
        var parents = Parents();
        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.Count > 0)
        {
            var current = frontier.Dequeue();
            foreach (var (pid, parent) in parents)
            {
                if (parent == current)
                {
                    found.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return found;
    }

    /// <summary>The process that listens on 127.0.0.1/0.0.0.0:<paramref name="port"/> (this user's processes only).</summary>
    public static int? Listening(int port)
    {
        var hex = port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = File.ReadLines("/proc/net/tcp").Concat(File.ReadLines("/proc/net/tcp6")).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && f[1].EndsWith(":" + hex, StringComparison.Ordinal) && f[3] == "0A")
            .Select(f => f[9]).ToHashSet();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                foreach (var fd in Directory.EnumerateFiles(Path.Combine(dir, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                    {
                        return pid;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return null;
    }

    /// <summary>The API process: infra/up.sh's pid file, else the process listening on the API's port.</summary>
    public static int? ApiPid(BenchOptions options)
    {
        if (FromRunDir(options, "api", "BrowserAutomation.Api.dll") is { } pid)
        {
            return pid;
        }

        return Listening(new Uri(options.Api).Port);
    }

    /// <summary>The live Chromium worker: its pid as it reports it in /api/v1/workers.</summary>
    public static async Task<int?> WorkerPidAsync(BenchOptions options, BenchContext bench)
    {
        if (FromRunDir(options, "worker", "BrowserAutomation.Worker.dll") is { } pid)
        {
            return pid;
        }

        var workers = await bench.Http.GetFromJsonAsync<JsonElement>("/api/v1/workers");
        return workers.GetProperty("data").EnumerateArray()
            .Where(w => w.GetProperty("status").GetString() != "offline" && w.GetProperty("metadata").ValueKind == JsonValueKind.Object
                        && w.GetProperty("metadata").GetProperty("engine").GetString() == "chromium")
            .Select(w => (int?)w.GetProperty("metadata").GetProperty("pid").GetInt32()).FirstOrDefault();
    }

    private static int? FromRunDir(BenchOptions options, string name, string dll)
    {
        var file = options.RunDir is null ? null : Path.Combine(options.RunDir, name + ".pid");
        if (file is null || !File.Exists(file) || !int.TryParse(File.ReadAllText(file).Trim(), out var pid))
        {
            return null;
        }

        // The pid file names the launcher; the .NET host is it or one of its children.
        return new[] { pid }.Concat(Descendants(pid)).Cast<int?>().FirstOrDefault(p => CommandLine(p!.Value).Contains(dll, StringComparison.Ordinal));
    }
}
