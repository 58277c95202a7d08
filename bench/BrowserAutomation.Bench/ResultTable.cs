namespace BrowserAutomation.Bench;

/// <summary>The issue's table: one row per measure, with the baseline measured in the same run and the ratio.</summary>
internal sealed class ResultTable
{
    private readonly List<(string Id, string Measure, string Service, string Baseline, string Ratio, string Target)> _rows = [];
    private readonly List<string> _notes = [];

    public void Add(string id, string measure, string service, string baseline, string ratio, string target) =>
        _rows.Add((id, measure, service, baseline, ratio, target));

    public void Note(string note) => _notes.Add(note);

    public void Print(BenchOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"## Bench{(options.Quick ? " (quick mode: scaled-down counts, a smoke test, not a measurement)" : "")}: {Environment.ProcessorCount} cores, "
                          + $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        Console.WriteLine("| # | measure | service | baseline (same run) | ratio | target |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var row in _rows)
        {
            Console.WriteLine($"| {row.Id} | {row.Measure} | {row.Service} | {row.Baseline} | {row.Ratio} | {row.Target} |");
        }

        foreach (var note in _notes)
        {
            Console.WriteLine();
            Console.WriteLine("- " + note);
        }
    }
}
