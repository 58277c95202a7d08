using System.Diagnostics.Metrics;
using System.Text;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>How instruments and tags are named in Prometheus.</summary>
internal static class PrometheusNames
{
    /// <summary>Request and call durations of meters that give no bucket advice: 1 ms to 30 s.</summary>
    public static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>
    /// The names OpenTelemetry's Prometheus exporters give, so dashboards and alerts written for them work: dots become
    /// underscores, the unit becomes a suffix (s: _seconds, By: _bytes) and counters end in _total
    /// (http.server.request.duration in seconds = http_server_request_duration_seconds). The service's own instruments
    /// are named that way already and stay as they are.
    /// </summary>
    public static string For(Instrument instrument)
    {
        var name = Translate(instrument.Name);
        var suffix = instrument.Unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => string.Empty,
        };
        if (suffix.Length > 0 && !name.EndsWith(suffix, StringComparison.Ordinal) && !name.Contains(suffix + "_", StringComparison.Ordinal))
        {
            name += suffix;
        }

        return IsCounter(instrument) && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    /// <summary>
    /// Whether the instrument is exported as a Prometheus counter (monotonic). A <see cref="Counter{T}"/> named
    /// <c>*.active</c> is not: OpenTelemetry's conventions name up-down counts that way, and MassTransit records its
    /// in-flight receives, consumes and saga deliveries (<c>messaging.masstransit.*.active</c>) on a counter with +1 and
    /// -1, so it is a gauge of what is in flight.
    /// </summary>
    public static bool IsCounter(Instrument instrument) =>
        instrument.GetType().GetGenericTypeDefinition() is var kind
        && (kind == typeof(ObservableCounter<>) || (kind == typeof(Counter<>) && !instrument.Name.EndsWith(".active", StringComparison.Ordinal)));

    /// <summary>Whether the instrument's measurements are increments of a gauge (up-down counts), not its value.</summary>
    public static bool IsUpDown(Instrument instrument) =>
        instrument.GetType().GetGenericTypeDefinition() is var kind
        && (kind == typeof(UpDownCounter<>) || (kind == typeof(Counter<>) && !IsCounter(instrument)));

    /// <summary>Lower case, every character outside [a-z0-9_] replaced by '_', never starting with a digit.</summary>
    public static string Translate(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name.ToLowerInvariant())
        {
            builder.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
