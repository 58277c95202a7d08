using System.Globalization;

namespace BrowserAutomation.Bench;

/// <summary>
/// The bench's command line. `--all` (the default) runs P1-P5; `--only P1,P3` a subset; `--quick` scales every count
/// down so the whole run takes about two minutes (its figures are a smoke test, not a measurement).
/// </summary>
internal sealed class BenchOptions
{
    public required string Api { get; init; }

    public required HashSet<string> Parts { get; init; }

    public bool Quick { get; init; }

    public required string Chromium { get; init; }

    /// <summary>infra/up.sh's run directory (api.pid, worker.pid), to find the processes whose memory P5 samples.</summary>
    public string? RunDir { get; init; }

    /// <summary>The worker build P3 and P4 start with WORKER_ENGINES=simulated.</summary>
    public required string WorkerDll { get; init; }

    public int LatencyJobs { get; init; }

    /// <summary>Jobs each side runs at concurrency 4 before P1/P2 measure (0 skips the warm-up).</summary>
    public int WarmupJobs { get; init; }

    public int ThroughputJobs { get; init; }

    public int[] Concurrencies { get; init; } = [2, 4, 8];

    public int ControlPlaneJobs { get; init; }

    public int ControlPlaneConcurrency { get; init; }

    /// <summary>How long the simulated engine takes per job (0 measures the control plane's capacity; a delay of a
    /// browser job's length measures its cost per job at the rate real jobs arrive).</summary>
    public int ControlPlaneDelayMs { get; init; }

    /// <summary>P3's jobs one at a time, for the pipeline's latency without a browser.</summary>
    public int ControlPlaneLatencyJobs { get; init; }

    public int LoadRequests { get; init; }

    public int LoadConcurrency { get; init; }

    public int BatchJobs { get; init; }

    public int SoakJobs { get; init; }

    /// <summary>The options that take a text value, those that take a count, and the switches; anything else is refused,
    /// so a typo cannot start a 40-minute run of every row.</summary>
    private static readonly string[] TextOptions = ["--api", "--only", "--chromium", "--run-dir", "--worker-dll"];

    private static readonly string[] CountOptions =
    [
        "--jobs", "--warmup-jobs", "--throughput-jobs", "--concurrency", "--control-jobs", "--control-concurrency",
        "--control-delay-ms", "--control-latency-jobs", "--load-requests", "--load-concurrency", "--batch-jobs", "--soak-jobs",
    ];

    private static readonly string[] Switches = ["--quick", "--all"];

    private static readonly string[] KnownParts = ["P1", "P2", "P3", "P4", "P5"];

    public const string Usage =
        "usage: bash bench/run.sh [--quick] [--all | --only P1,P2,P3,P4,P5] [--pool-soak]\n"
        + "  counts:  --jobs N (P2) --warmup-jobs N --throughput-jobs N --concurrency N (P1, one level)\n"
        + "           --control-jobs N --control-concurrency N --control-delay-ms N --control-latency-jobs N (P3)\n"
        + "           --load-requests N --load-concurrency N --batch-jobs N (P4) --soak-jobs N (P5)\n"
        + "  targets: --api URL --chromium PATH --run-dir DIR --worker-dll PATH";

    /// <summary>What is wrong with the command line, or null.</summary>
    public static string? Problem(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (Switches.Contains(args[i]))
            {
                continue;
            }

            if (!TextOptions.Contains(args[i]) && !CountOptions.Contains(args[i]))
            {
                return $"unknown option '{args[i]}'";
            }

            if (++i >= args.Length)
            {
                return $"{args[i - 1]} needs a value";
            }

            var value = args[i];
            if (args[i - 1] == "--only" && value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .FirstOrDefault(p => !KnownParts.Contains(p.ToUpperInvariant())) is { } part)
            {
                return $"--only: unknown row '{part}' (rows: {string.Join(", ", KnownParts)})";
            }

            if (CountOptions.Contains(args[i - 1])
                && !(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 0))
            {
                return $"{args[i - 1]} needs a whole number, not '{value}'";
            }
        }

        return null;
    }

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var only = Arg(args, "--only", null);
        var parts = only is null
            ? ["P1", "P2", "P3", "P4", "P5"]
            : new HashSet<string>(only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => p.ToUpperInvariant()));
        var repo = FindRepository();
        return new BenchOptions
        {
            Api = Arg(args, "--api", "http://127.0.0.1:" + Env("PORT", "3000"))!,
            Parts = parts,
            Quick = quick,
            Chromium = Arg(args, "--chromium", "/usr/lib/chromium/chromium-headless-shell")!,
            RunDir = Arg(args, "--run-dir", Environment.GetEnvironmentVariable("BA_DATA_DIR") is { Length: > 0 } data ? Path.Combine(data, "run") : null),
            WorkerDll = Arg(args, "--worker-dll", Path.Combine(repo, "src/BrowserAutomation.Worker/bin/Release/net10.0/BrowserAutomation.Worker.dll"))!,
            LatencyJobs = Int(args, "--jobs", quick ? 15 : 40),
            WarmupJobs = Int(args, "--warmup-jobs", quick ? 30 : 100),
            ThroughputJobs = Int(args, "--throughput-jobs", quick ? 16 : 60),
            ControlPlaneJobs = Int(args, "--control-jobs", quick ? 600 : 5_000),
            ControlPlaneConcurrency = Int(args, "--control-concurrency", 32),
            ControlPlaneDelayMs = Int(args, "--control-delay-ms", 0),
            ControlPlaneLatencyJobs = Int(args, "--control-latency-jobs", quick ? 30 : 100),
            LoadRequests = Int(args, "--load-requests", quick ? 1_500 : 10_000),
            LoadConcurrency = Int(args, "--load-concurrency", 32),
            BatchJobs = Int(args, "--batch-jobs", quick ? 1_000 : 10_000),
            SoakJobs = Int(args, "--soak-jobs", quick ? 150 : 5_000),
            Concurrencies = Arg(args, "--concurrency", null) is { } c ? [int.Parse(c, CultureInfo.InvariantCulture)] : [2, 4, 8],
        };
    }

    public bool Runs(string part) => Parts.Contains(part);

    public static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;

    private static int Int(string[] args, string name, int fallback) => int.Parse(Arg(args, name, fallback.ToString(CultureInfo.InvariantCulture))!, CultureInfo.InvariantCulture);

    private static string? Arg(string[] args, string name, string? fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BrowserAutomation.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
