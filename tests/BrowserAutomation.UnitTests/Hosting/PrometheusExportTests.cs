using System.Diagnostics.Metrics;
using System.Text;
using BrowserAutomation.Hosting.Observability;
using Prometheus;

namespace BrowserAutomation.UnitTests.Hosting;

/// <summary>How the meter exporter maps instruments onto Prometheus kinds, read back from the registry's text format.</summary>
public sealed class PrometheusExportTests : IDisposable
{
    private readonly string _prefix = $"export_test_{Guid.NewGuid():N}"[..24];
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly AutomationMeterExporter _exporter;
    private readonly Meter _meter;

    public PrometheusExportTests()
    {
        _exporter = new AutomationMeterExporter(_registry);
        _meter = new Meter(_prefix);
    }

    public void Dispose()
    {
        _meter.Dispose();
        _exporter.Dispose();
    }

    [Fact]
    public async Task A_counter_named_active_that_goes_up_and_down_is_a_gauge_of_what_is_in_flight()
    {
        // MassTransit 8 records its in-flight receives, consumes and saga deliveries this way.
        var active = _meter.CreateCounter<long>($"{_prefix}.receive.active");
        active.Add(1, new KeyValuePair<string, object?>("endpoint", "jobs"));
        active.Add(1, new KeyValuePair<string, object?>("endpoint", "jobs"));
        active.Add(-1, new KeyValuePair<string, object?>("endpoint", "jobs"));

        var text = await ScrapeAsync();
        Assert.Contains($"# TYPE {_prefix}_receive_active gauge", text);
        Assert.Contains($"{_prefix}_receive_active{{endpoint=\"jobs\"}} 1", text);
        Assert.DoesNotContain($"{_prefix}_receive_active_total", text);
    }

    [Fact]
    public async Task A_counter_stays_a_counter_and_a_negative_increment_is_dropped_without_throwing()
    {
        var sent = _meter.CreateCounter<long>($"{_prefix}.sent");
        var checks = _meter.CreateCounter<long>($"{_prefix}.active_checks");
        sent.Add(3);
        sent.Add(-1);
        checks.Add(2);

        var text = await ScrapeAsync();
        Assert.Contains($"# TYPE {_prefix}_sent_total counter", text);
        Assert.Contains($"{_prefix}_sent_total 3", text);
        Assert.Contains($"# TYPE {_prefix}_active_checks_total counter", text);
        Assert.Contains($"{_prefix}_active_checks_total 2", text);
    }

    [Fact]
    public async Task An_up_down_counter_is_a_gauge()
    {
        var open = _meter.CreateUpDownCounter<long>($"{_prefix}.streams.open");
        open.Add(2);
        open.Add(-1);

        var text = await ScrapeAsync();
        Assert.Contains($"# TYPE {_prefix}_streams_open gauge", text);
        Assert.Contains($"{_prefix}_streams_open 1", text);
    }

    private async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
