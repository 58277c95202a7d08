using System.Diagnostics.Metrics;
using Prometheus;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// An instrument as a Prometheus family of the given name and the same kind: a counter stays a counter, a histogram
/// gets its advised buckets. The labels are the tag keys of the first measurement ('.' becomes '_'); a later
/// measurement's missing tag is an empty value and an extra one is dropped (the service's own instruments always
/// carry the same keys).
/// </summary>
internal sealed class InstrumentSeries(Instrument instrument, string name, IMetricFactory factory)
{
    private readonly Lock _gate = new();
    private readonly bool _upDown = PrometheusNames.IsUpDown(instrument);
    private string[]? _tagKeys;
    private Collector? _collector;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var collector = _collector ?? Create(tags);
        var values = new string[_tagKeys!.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == _tagKeys[i])
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
            case Counter counter when value >= 0:
                counter.WithLabels(values).Inc(value);
                break;
            case Counter:
                // A negative increment of a monotonic counter is a recording bug elsewhere: dropped, never thrown.
                break;
            case Histogram histogram:
                histogram.WithLabels(values).Observe(value);
                break;
            case Gauge gauge when _upDown:
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

            var help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
            var labels = names.Select(PrometheusNames.Translate).ToArray();
            Collector collector = Kind switch
            {
                _ when PrometheusNames.IsCounter(instrument) => factory.CreateCounter(name, help, labels),
                var k when k == typeof(Histogram<>) => factory.CreateHistogram(name, help, labels,
                    new HistogramConfiguration { Buckets = Buckets(instrument) }),
                _ => factory.CreateGauge(name, help, labels),
            };
            _tagKeys = names;
            _collector = collector;
            return collector;
        }
    }

    private static double[] Buckets(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } buckets } => [.. buckets],
        _ when instrument.Unit == "s" => PrometheusNames.SecondsBuckets,
        _ => Histogram.ExponentialBuckets(1, 4, 12),
    };
}
