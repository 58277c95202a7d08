using System.Diagnostics.Metrics;
using Prometheus;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// One of the service's instruments as a Prometheus family of the same name and kind: a counter stays a counter,
/// a histogram gets its advised buckets. The label names are the tag keys of the first measurement; every
/// measurement of an instrument carries the same keys.
/// </summary>
internal sealed class InstrumentSeries(Instrument instrument, IMetricFactory factory)
{
    private readonly Lock _gate = new();
    private string[]? _labelNames;
    private Collector? _collector;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var collector = _collector ?? Create(tags);
        var values = new string[_labelNames!.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == _labelNames[i])
                {
                    values[i] = tag.Value?.ToString() ?? string.Empty;
                    break;
                }
            }
        }

        switch (collector)
        {
            case Counter counter when IsObservable:
                counter.WithLabels(values).IncTo(value);
                break;
            case Counter counter:
                counter.WithLabels(values).Inc(value);
                break;
            case Histogram histogram:
                histogram.WithLabels(values).Observe(value);
                break;
            case Gauge gauge when Kind == typeof(UpDownCounter<>):
                gauge.WithLabels(values).Inc(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(values).Set(value);
                break;
        }
    }

    private Type Kind => instrument.GetType().GetGenericTypeDefinition();

    private bool IsObservable => instrument.IsObservable;

    private Collector Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var names = new string[tags.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = tags[i].Key;
        }

        lock (_gate)
        {
            if (_collector is not null)
            {
                return _collector;
            }

            var help = instrument.Description ?? instrument.Name;
            Collector collector = Kind switch
            {
                var k when k == typeof(Counter<>) || k == typeof(ObservableCounter<>) => factory.CreateCounter(instrument.Name, help, names),
                var k when k == typeof(Histogram<>) => factory.CreateHistogram(instrument.Name, help, names,
                    new HistogramConfiguration { Buckets = Buckets(instrument) }),
                _ => factory.CreateGauge(instrument.Name, help, names),
            };
            _labelNames = names;
            _collector = collector;
            return collector;
        }
    }

    private static double[] Buckets(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } buckets } => [.. buckets],
        _ => AutomationMetrics.DurationBuckets.ToArray(),
    };
}
