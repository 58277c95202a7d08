using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Worker;

/// <summary>Worker settings (WORKER_* variables).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Engines this process serves, comma separated (WORKER_ENGINES): chromium, firefox, webkit.</summary>
    [Required]
    public string Engines { get; set; } = "chromium";

    /// <summary>Jobs executed at once per engine queue (WORKER_MAX_CONCURRENT_JOBS).</summary>
    [Range(1, 100)]
    public int MaxConcurrentJobs { get; set; } = 4;

    /// <summary>How often the worker refreshes its browser_workers rows (WORKER_HEARTBEAT_INTERVAL_MS).</summary>
    [Range(200, 60_000)]
    public int HeartbeatIntervalMs { get; set; } = 5_000;

    /// <summary>
    /// Port of the worker's own HTTP endpoint (health and metrics; WORKER_HTTP_PORT), on every interface, unless
    /// ASPNETCORE_URLS names the addresses itself (the quick start and the tests bind 127.0.0.1).
    /// </summary>
    [Range(1, 65_535)]
    public int HttpPort { get; set; } = 3001;

    /// <summary>
    /// On SIGTERM, how long running jobs may go on finishing after deliveries stopped (WORKER_DRAIN_TIMEOUT_MS); what is
    /// still running then is returned to its queue, not failed, and another worker runs it.
    /// </summary>
    [Range(0, 3_600_000)]
    public int DrainTimeoutMs { get; set; } = 30_000;

    public IReadOnlyList<string> EngineList =>
        Engines.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.ToLowerInvariant())
            .Distinct()
            .ToList();
}
