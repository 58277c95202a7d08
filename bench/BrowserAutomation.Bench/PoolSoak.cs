// --pool-soak [--jobs 500] [--concurrency 4] [--chromium PATH] [--max-pages 100] [--report-every N/2]
// Runs N fresh-context jobs (screenshot, extract and pdf in turn, on a local page) through a real BrowserPool and
// JobExecutor, and prints the memory of this process and of the browser processes at 0, N/2 and N jobs: the pool must
// stay flat over hundreds of jobs (browsers are recycled every --max-pages pages) and leave no browser behind.
using System.Diagnostics;
using System.Globalization;
using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BrowserAutomation.Bench;

internal static class PoolSoak
{
    public static async Task<int> RunAsync(string[] args)
    {
        var jobs = int.Parse(Arg(args, "--jobs", "500"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Arg(args, "--concurrency", "4"), CultureInfo.InvariantCulture);
        var chromium = Arg(args, "--chromium", "/usr/lib/chromium/chromium-headless-shell");
        var options = new BrowserOptions
        {
            Engines = [BrowserEngines.Chromium],
            ChromiumExecutablePath = chromium,
            MaxPagesPerBrowser = int.Parse(Arg(args, "--max-pages", "100"), CultureInfo.InvariantCulture),
        };

        var site = WebApplication.CreateSlimBuilder();
        site.Logging.ClearProviders();
        site.WebHost.UseUrls("http://127.0.0.1:0");
        var siteApp = site.Build();
        siteApp.MapGet("/page", () => Results.Content(
            "<html><head><title>Soak</title></head><body style='font:16px sans-serif;background:#eef'>"
            + string.Concat(Enumerable.Range(0, 40).Select(i => $"<p class='p'>Paragraph {i}: the quick brown fox jumps over the lazy dog.</p>"))
            + "</body></html>", "text/html"));
        await siteApp.StartAsync();
        var url = siteApp.Urls.First() + "/page";

        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        // The soak site is on loopback, which the URL policy refuses unless allowed.
        await using var egress = new BrowserAutomation.Networking.EgressProxy(
            new BrowserAutomation.Networking.UrlPolicy(new BrowserAutomation.Networking.UrlPolicyOptions { AllowedNetworks = ["127.0.0.1/32"] }));
        var pool = new BrowserPool(Microsoft.Extensions.Options.Options.Create(options), loggers.CreateLogger<BrowserPool>(), egress);
        var executor = new JobExecutor(pool, Microsoft.Extensions.Options.Options.Create(options), NullLogger<JobExecutor>.Instance);
        await pool.StartAsync(CancellationToken.None);

        Console.WriteLine($"Pool soak: {jobs} jobs, concurrency {concurrency}, recycle every {options.MaxPagesPerBrowser} pages, {Environment.ProcessorCount} cores");
        Console.WriteLine("jobs | this process RSS (managed heap) | driver RSS | browser processes: count, mains, RSS sum, PSS sum");
        Report(0, chromium);

        var next = -1;
        var failed = 0;
        var every = Math.Max(1, int.Parse(Arg(args, "--report-every", (jobs / 2).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
        var checkpoint = new SemaphoreSlim(1, 1);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < jobs)
            {
                var outcome = await executor.ExecuteAsync(Job(url, index), CancellationToken.None);
                if (!outcome.Succeeded)
                {
                    Interlocked.Increment(ref failed);
                    Console.WriteLine($"job {index} failed: {outcome.ErrorType}: {outcome.ErrorMessage}");
                }

                if ((index + 1) % every == 0 && index + 1 < jobs)
                {
                    await checkpoint.WaitAsync();
                    Report(index + 1, chromium);
                    checkpoint.Release();
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;

        // Let the last contexts close and the last recycled browser go.
        var settle = Stopwatch.StartNew();
        while (pool.GetStats()[BrowserEngines.Chromium] is not { OpenContexts: 0, Draining: 0 } && settle.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        Report(jobs, chromium);
        Console.WriteLine($"{jobs} jobs in {seconds:0.0} s ({jobs / seconds:0.0} jobs/s), {failed} failed");
        Console.WriteLine(pool.GetStats()[BrowserEngines.Chromium]);

        await pool.DisposeAsync();
        await siteApp.StopAsync();
        var after = Measure(chromium);
        Console.WriteLine($"after shutdown: {after.Browsers.Count} browser processes, driver {(after.Driver is null ? "gone" : "running")}");
        return failed == 0 && after.Browsers.Count == 0 ? 0 : 1;
    }

    private static JobRequested Job(string url, int index) => new()
    {
        JobId = Guid.NewGuid(),
        Attempt = 1,
        BrowserTypeId = 1,
        Engine = BrowserEngines.Chromium,
        TargetUrl = url,
        Viewport = new Viewport(1280, 720),
        TimeoutMs = 30_000,
        Actions = (index % 3) switch
        {
            0 => [new JobAction { Action = "screenshot" }],
            1 => [new JobAction { Action = "extract", Name = "paragraphs", Target = ".p", Multiple = true }],
            _ => [new JobAction { Action = "pdf", Format = "A4" }],
        },
    };

    private static void Report(int done, string chromium)
    {
        var s = Measure(chromium);
        Console.WriteLine(
            $"{done,4} | {Mb(s.Self.Rss)} ({GC.GetTotalMemory(false) / 1048576.0:0.0} MB) | {(s.Driver is { } d ? Mb(d.Rss) : "-")} | "
            + $"{s.Browsers.Count}, {s.MainBrowsers}, {Mb(s.Browsers.Sum(static b => b.Rss))}, {Mb(s.Browsers.Sum(static b => b.Pss))}");
    }

    private static string Mb(long kilobytes) => $"{kilobytes / 1024.0:0.0} MB";

    /// <summary>This process, its Node driver and every browser process below it, from /proc.</summary>
    private static Snapshot Measure(string chromium)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ParentOf(pid) is int parent)
            {
                parents[pid] = parent;
            }
        }

        var below = new List<int>();
        var queue = new Queue<int>([Environment.ProcessId]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var child in parents.Where(p => p.Value == current).Select(static p => p.Key))
            {
                below.Add(child);
                queue.Enqueue(child);
            }
        }

        var browsers = below.Where(pid => Executable(pid) == chromium).Select(Memory).Where(static m => m.Rss > 0).ToList();
        var mains = below.Count(pid => Executable(pid) == chromium && parents.TryGetValue(pid, out var parent) && Executable(parent) != chromium);
        int? driver = below.FirstOrDefault(pid => Executable(pid)?.EndsWith("/node", StringComparison.Ordinal) == true) is > 0 and var found ? found : null;
        return new Snapshot(Memory(Environment.ProcessId), driver is int d ? Memory(d) : null, browsers, mains);
    }

    private static ProcessMemory Memory(int pid) => new(Field($"/proc/{pid}/status", "VmRSS:"), Field($"/proc/{pid}/smaps_rollup", "Pss:"));

    private static long Field(string file, string name)
    {
        try
        {
            var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static string? Executable(int pid)
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

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return null;
        }
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private sealed record ProcessMemory(long Rss, long Pss);

    private sealed record Snapshot(ProcessMemory Self, ProcessMemory? Driver, IReadOnlyList<ProcessMemory> Browsers, int MainBrowsers);
}
