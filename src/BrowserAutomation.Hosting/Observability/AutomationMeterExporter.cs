using System.Diagnostics.Metrics;
using Prometheus;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// Publishes every meter's instruments (the service's own, ASP.NET Core, System.Runtime, MassTransit, Npgsql ...)
/// into a Prometheus registry with their kinds kept: counters as counters, histograms with their advised buckets.
/// prometheus-net's own MeterAdapter turns counters into gauges and forgets series idle for a few minutes (a reset
/// for alerts) and published nothing under .NET 10 here, so this small listener does the mapping.
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
            listener.EnableMeasurementEvents(instrument, new InstrumentSeries(instrument, PrometheusNames.For(instrument), factory));
        };
        _listener.SetMeasurementEventCallback<byte>(OnMeasurement);
        _listener.SetMeasurementEventCallback<short>(OnMeasurement);
        _listener.SetMeasurementEventCallback<int>(OnMeasurement);
        _listener.SetMeasurementEventCallback<float>(OnMeasurement);
        _listener.SetMeasurementEventCallback<decimal>(OnMeasurement);
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
        // The callback runs inside the recording code (MassTransit's consume path, Kestrel ...): it must never throw there.
        try
        {
            if (state is InstrumentSeries series)
            {
                series.Record(Convert.ToDouble(measurement, System.Globalization.CultureInfo.InvariantCulture), tags);
            }
        }
#pragma warning disable CA1031
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
