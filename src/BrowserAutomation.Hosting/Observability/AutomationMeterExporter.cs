using System.Diagnostics.Metrics;
using Prometheus;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// Publishes the instruments of <see cref="AutomationTelemetry.Meter"/> into a Prometheus registry under their own
/// names and kinds. prometheus-net's MeterAdapter (used for the other meters) would prefix the meter's name, turn
/// counters into gauges and drop series idle for a few minutes; the service's own series are the ones alerts are
/// written against, so they keep exact names, true counters and chosen buckets.
/// </summary>
internal sealed class AutomationMeterExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private volatile bool _disposed;

    public AutomationMeterExporter(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AutomationTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument, new InstrumentSeries(instrument, factory));
            }
        };
        _listener.SetMeasurementEventCallback<int>(OnMeasurement);
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
        // Observable instruments (pool, queue, workers, outbox) are read when Prometheus scrapes, not on a timer.
        registry.AddBeforeCollectCallback(() =>
        {
            if (!_disposed)
            {
                _listener.RecordObservableInstruments();
            }
        });
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    private static void OnMeasurement<T>(Instrument instrument, T measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        where T : struct
    {
        if (state is InstrumentSeries series)
        {
            series.Record(Convert.ToDouble(measurement, System.Globalization.CultureInfo.InvariantCulture), tags);
        }
    }
}
