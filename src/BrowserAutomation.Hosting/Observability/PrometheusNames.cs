using System.Diagnostics.Metrics;
using System.Text;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>How instruments and tags are named in Prometheus.</summary>
internal static class PrometheusNames
{
    /// <summary>Request and call durations of meters that give no bucket advice: 1 ms to 30 s.</summary>
    public static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>
    /// The service's own instruments keep their names; another meter's get the meter's name in front
    /// (Microsoft.AspNetCore.Hosting + http.server.request.duration = microsoft_aspnetcore_hosting_http_server_request_duration).
    /// </summary>
    public static string For(Instrument instrument) =>
        instrument.Meter.Name == AutomationTelemetry.Name ? instrument.Name : Translate($"{instrument.Meter.Name}_{instrument.Name}");

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
