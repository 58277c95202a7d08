// The bench: every row of the performance table (P1-P5) in one invocation against the quick-start stack, each with
// the baseline it measures itself in the same run (README, "Measured"; bench/run.sh sets it up).
//   --all (default) | --only P1,P3   which rows;  --quick   counts scaled down (~2 minutes, a smoke test)
//   --pool-soak                      the browser pool alone, no service (PoolSoak.cs)
using BrowserAutomation.Bench;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

if (args.Contains("--pool-soak"))
{
    return await PoolSoak.RunAsync(args);
}

if (BenchOptions.Problem(args) is { } problem)
{
    Console.Error.WriteLine($"bench: {problem}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var options = BenchOptions.Parse(args);
Console.WriteLine($"Bench against {options.Api}: {string.Join(", ", options.Parts.Order())}{(options.Quick ? " (quick)" : "")}");
var table = new ResultTable();
await using var bench = await BenchContext.StartAsync(options);

// The browser rows first, the control plane and intake next (they start simulated workers), the soak last.
var parts = new (string Part, Func<Task> Run)[]
{
    ("P1|P2", () => ServiceVsRawBench.RunAsync(options, bench, table)),
    ("P3", () => ControlPlaneBench.RunAsync(options, bench, table)),
    ("P4", () => HttpLoadBench.RunAsync(options, bench, table)),
    ("P5", () => SoakBench.RunAsync(options, bench, table)),
};
var failures = 0;
foreach (var (part, run) in parts)
{
    if (!part.Split('|').Any(options.Runs))
    {
        continue;
    }

    Console.WriteLine($"{DateTime.Now:HH:mm:ss} running {part.Replace('|', '/')} ...");
    try
    {
        await run();
    }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        failures++;
        table.Add(part.Replace('|', '/'), "failed", e.GetType().Name, "-", "-", "-");
        table.Note($"{part.Replace('|', '/')} failed: {e.Message}");
    }
}

table.Print(options);
return failures == 0 ? 0 : 1;
