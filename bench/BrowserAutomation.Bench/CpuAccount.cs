using System.Globalization;

namespace BrowserAutomation.Bench;

/// <summary>
/// CPU time by part of the stack, read from /proc: the API, the worker's .NET process, its Playwright driver,
/// PostgreSQL, RabbitMQ, this bench process and its own Playwright driver; "browsers" is the rest of the machine's busy
/// time (/proc/stat), because browser processes come and go with contexts and recycles and not every exit is reaped
/// into a parent's counters. Two snapshots around a stretch give the CPU it cost, which says what bounds a measurement
/// when the machine is saturated: on 2 cores, every millisecond the pipeline spends is one the browsers do not get.
/// </summary>
internal sealed class CpuAccount
{
    private static readonly string[] Measured = ["driver", "worker", "api", "postgres", "rabbitmq", "bench", "raw driver"];

    private readonly Dictionary<string, double> _ms;

    private CpuAccount(Dictionary<string, double> ms) => _ms = ms;

    public static CpuAccount Take(int? apiPid, int? workerPid)
    {
        var ms = Measured.ToDictionary(p => p, _ => 0.0);
        var worker = workerPid is { } w ? ProcessTree.Descendants(w).ToHashSet() : [];
        var bench = ProcessTree.Descendants(Environment.ProcessId).ToHashSet();
        foreach (var pid in ProcessTree.Parents().Keys)
        {
            if (Classify(pid, apiPid, workerPid, worker, bench) is { } part)
            {
                ms[part] += CpuMs(pid, withExitedChildren: part == "postgres");
            }
        }

        ms["machine"] = MachineBusyMs();
        return new CpuAccount(ms);
    }

    /// <summary>Milliseconds of CPU per job of each part between <paramref name="before"/> and this snapshot.</summary>
    public Dictionary<string, double> PerJob(CpuAccount before, int jobs)
    {
        var perJob = Measured.ToDictionary(p => p, p => Math.Max(0, _ms[p] - before._ms[p]) / jobs);
        perJob["browsers"] = Math.Max(0, (_ms["machine"] - before._ms["machine"]) / jobs - perJob.Values.Sum());
        return perJob;
    }

    public static string Format(Dictionary<string, double> perJob, params string[] parts) => FormatAs(perJob, "0", parts);

    /// <summary>As <see cref="Format(Dictionary{string, double}, string[])"/> with a number format of its own.</summary>
    /// <remarks>A name of its own: as an overload of Format, a call with part names only bound here, the first name taken as the format.</remarks>
    public static string FormatAs(Dictionary<string, double> perJob, string format, params string[] parts) =>
        string.Join(", ", parts.Select(p => $"{p} {perJob[p].ToString(format, CultureInfo.InvariantCulture)}"));

    private static string? Classify(int pid, int? apiPid, int? workerPid, HashSet<int> worker, HashSet<int> bench)
    {
        if (pid == apiPid)
        {
            return "api";
        }

        if (pid == workerPid)
        {
            return "worker";
        }

        if (pid == Environment.ProcessId)
        {
            return "bench";
        }

        var command = ProcessTree.CommandLine(pid);
        var driver = command.Contains("/.playwright/", StringComparison.Ordinal) && command.Contains("run-driver", StringComparison.Ordinal);
        if (driver && (worker.Contains(pid) || bench.Contains(pid)))
        {
            return worker.Contains(pid) ? "driver" : "raw driver";
        }

        if (command.StartsWith("postgres", StringComparison.Ordinal) || command.Contains("/postgresql/", StringComparison.Ordinal))
        {
            return "postgres";
        }

        return command.Contains("beam.smp", StringComparison.Ordinal) && command.Contains("rabbit", StringComparison.Ordinal) ? "rabbitmq" : null;
    }

    /// <summary>
    /// The process's CPU (utime + stime) in ms, with that of its exited children when asked: PostgreSQL's ended backends
    /// are in the postmaster's; a driver's are browsers, which the rest of the machine already holds.
    /// </summary>
    private static double CpuMs(int pid, bool withExitedChildren)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long Ticks(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);

            // 100 clock ticks per second on Linux.
            return (Ticks(11) + Ticks(12) + (withExitedChildren ? Ticks(13) + Ticks(14) : 0)) * 10.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Busy time of all CPUs (user, nice, system, irq, softirq, steal) in ms.</summary>
    private static double MachineBusyMs()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Ticks(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        return (Ticks(1) + Ticks(2) + Ticks(3) + Ticks(6) + Ticks(7) + Ticks(8)) * 10.0;
    }
}
