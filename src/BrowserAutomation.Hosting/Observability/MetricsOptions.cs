using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>The Prometheus endpoint's settings (ENABLE_METRICS, METRICS_PORT), the same for the API and the worker.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Whether GET /metrics exists and the instruments are collected at all (ENABLE_METRICS, default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A port of its own for /metrics (METRICS_PORT): the process also listens there, on the host of its main address,
    /// and serves /metrics only there. Unset: /metrics is on the main address.
    /// </summary>
    [Range(1, 65_535)]
    public int? Port { get; set; }
}
