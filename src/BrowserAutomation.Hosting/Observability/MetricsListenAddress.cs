using Microsoft.AspNetCore.Http;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>Where METRICS_PORT listens: the host of the process's first address (loopback stays loopback), plain HTTP.</summary>
internal static class MetricsListenAddress
{
    /// <summary>Kestrel's address when none is configured.</summary>
    private const string KestrelDefault = "http://localhost:5000";

    /// <summary>The addresses to listen on: the configured ones (or Kestrel's default) plus the metrics port.</summary>
    public static string WithMetricsPort(string? urls, int port)
    {
        var addresses = string.IsNullOrWhiteSpace(urls) ? KestrelDefault : urls.Trim();
        var first = addresses.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var host = BindingAddress.Parse(first).Host;
        return $"{addresses};http://{host}:{port}";
    }
}
