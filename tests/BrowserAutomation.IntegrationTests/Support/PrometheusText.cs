using System.Globalization;
using System.Text.RegularExpressions;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A scrape of /metrics in Prometheus text format: every sample with its labels.</summary>
public sealed partial class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public PrometheusText(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["k"].Value, m => m.Groups["v"].Value.Replace("\\\"", "\"", StringComparison.Ordinal));
            _samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    public string Text { get; }

    public static async Task<PrometheusText> ScrapeAsync(HttpClient http, Uri address)
    {
        using var response = await http.GetAsync(new Uri(address, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {address}metrics answered {(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return new PrometheusText(text);
    }

    /// <summary>The sum of a series' samples whose labels include all of <paramref name="labels"/> ("k=v" pairs); 0 when none.</summary>
    public double Sum(string name, params string[] labels) => Matching(name, labels).Sum(s => s.Value);

    public bool Has(string name, params string[] labels) => Matching(name, labels).Any();

    /// <summary>The label names of a series (from its first sample).</summary>
    public IReadOnlyCollection<string> LabelNames(string name) =>
        _samples.First(s => s.Name == name).Labels.Keys.Where(k => k != "le").Order().ToList();

    public IEnumerable<string> Names => _samples.Select(s => s.Name).Distinct();

    private IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Matching(string name, string[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l =>
        {
            var (key, value) = (l[..l.IndexOf('=', StringComparison.Ordinal)], l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            return s.Labels.TryGetValue(key, out var actual) && actual == value;
        }));

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\S+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<k>[a-zA-Z_][a-zA-Z0-9_]*)="(?<v>(?:[^"\\]|\\.)*)",?""")]
    private static partial Regex LabelPair();
}
