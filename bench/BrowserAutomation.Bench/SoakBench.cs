using System.Globalization;

namespace BrowserAutomation.Bench;

/// <summary>
/// P5: N Chromium screenshot jobs through the service (concurrency 4); RSS of the API, the worker, the Playwright
/// driver and the browsers sampled from /proc at job N/5 (1,000 of 5,000) and N; orphaned browser or driver processes
/// afterwards; PostgreSQL bytes per job from the database's and the job tables' sizes.
/// </summary>
internal static class SoakBench
{
    private sealed record Sample(long Api, long Worker, long Driver, long Browsers, int BrowserProcesses);

    public static async Task RunAsync(BenchOptions options, BenchContext bench, ResultTable table)
    {
        var apiPid = ProcessTree.ApiPid(options);
        var workerPid = await ProcessTree.WorkerPidAsync(options, bench);
        var stats = new InfraStats(bench);
        var databaseBefore = await stats.DatabaseBytesAsync();
        var tablesBefore = await stats.TableBytesAsync();
        var jobs = options.SoakJobs;
        var checkpoint = jobs / 5;
        var samples = new Dictionary<int, Sample>();
        var finished = 0;
        var gate = new SemaphoreSlim(1, 1);

        var (rate, _) = await BenchContext.Concurrently(jobs, 4, async _ =>
        {
            var id = await bench.SubmitAsync(bench.Screenshot(1));
            await bench.CompletedAsync(id);
            bench.Forget(id);
            var done = Interlocked.Increment(ref finished);
            if (done == checkpoint)
            {
                await gate.WaitAsync();
                samples[done] = Measure(apiPid, workerPid);
                gate.Release();
            }
        });
        samples[jobs] = Measure(apiPid, workerPid);

        var databaseBytes = (await stats.DatabaseBytesAsync() - databaseBefore) / (double)jobs;
        var tablesAfter = await stats.TableBytesAsync();
        var perTable = tablesAfter.Select(t => (t.Key, Bytes: (t.Value - tablesBefore.GetValueOrDefault(t.Key)) / (double)jobs))
            .Where(t => t.Bytes > 0).OrderByDescending(t => t.Bytes).Take(5).ToList();

        var first = samples[checkpoint];
        var last = samples[jobs];
        table.Add("P5", $"RSS at job {checkpoint} -> {jobs} (MB; {BenchContext.F(rate, "0.0")} jobs/s)",
            $"API {Mb(first.Api)} -> {Mb(last.Api)}, worker {Mb(first.Worker)} -> {Mb(last.Worker)}, driver {Mb(first.Driver)} -> {Mb(last.Driver)}, "
            + $"browsers {Mb(first.Browsers)} ({first.BrowserProcesses} processes) -> {Mb(last.Browsers)} ({last.BrowserProcesses})",
            "-", $"API {Ratio(last.Api, first.Api)}, worker {Ratio(last.Worker, first.Worker)}, driver {Ratio(last.Driver, first.Driver)}, browsers {Ratio(last.Browsers, first.Browsers)}",
            "within ±10 %");
        table.Add("P5", "orphaned browser / driver processes after the soak", Orphans().ToString(CultureInfo.InvariantCulture), "-", "-", "0");
        table.Add("P5", "PostgreSQL bytes per job (database size growth)", BenchContext.F(databaseBytes, "0"), "-", "-", "report");
        table.Note("P5 bytes per job by table: " + string.Join(", ", perTable.Select(t => $"{t.Key} {t.Bytes:0}")));
        if (apiPid is null || workerPid is null)
        {
            table.Note($"P5 could not find the {(apiPid is null ? "API" : "worker")} process (start the stack with infra/up.sh, or pass --run-dir): its RSS reads 0.");
        }
    }

    private static Sample Measure(int? apiPid, int? workerPid)
    {
        long driver = 0, browsers = 0;
        var browserCount = 0;
        if (workerPid is { } worker)
        {
            foreach (var pid in ProcessTree.Descendants(worker))
            {
                var command = ProcessTree.CommandLine(pid);
                if (command.Contains("playwright", StringComparison.OrdinalIgnoreCase) && command.Contains("node", StringComparison.OrdinalIgnoreCase))
                {
                    driver += ProcessTree.RssBytes(pid);
                }
                else if (command.Length > 0)
                {
                    browsers += ProcessTree.RssBytes(pid);
                    browserCount++;
                }
            }
        }

        return new Sample(apiPid is { } a ? ProcessTree.RssBytes(a) : 0, workerPid is { } w ? ProcessTree.RssBytes(w) : 0, driver, browsers, browserCount);
    }

    /// <summary>
    /// Browser or Playwright driver processes whose parent is init: left behind by a process that went away. Firefox's
    /// crash helper is started detached on purpose (its parent is init while its Firefox runs) and is counted only when
    /// the Firefox it serves (its first argument) is gone.
    /// </summary>
    private static int Orphans() =>
        ProcessTree.Parents().Count(p => p.Value == 1 && ProcessTree.CommandLine(p.Key) is var c
                                         && (c.Contains("chromium", StringComparison.Ordinal) || c.Contains("firefox", StringComparison.Ordinal)
                                             || (c.Contains("playwright", StringComparison.Ordinal) && c.Contains("node", StringComparison.Ordinal)))
                                         && !ServesLiveFirefox(c));

    private static bool ServesLiveFirefox(string commandLine) =>
        commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var program, var served, ..]
        && program.EndsWith("/crashhelper", StringComparison.Ordinal)
        && int.TryParse(served, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
        && Directory.Exists($"/proc/{pid}");

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);

    private static string Ratio(long last, long first) => first == 0 ? "n/a" : (last / (double)first).ToString("0.00", CultureInfo.InvariantCulture);
}
