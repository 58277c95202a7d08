using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Api.Workers;

/// <summary>When the API counts a worker as gone (section "Workers").</summary>
public sealed class WorkerLivenessOptions
{
    public const string SectionName = "Workers";

    /// <summary>A worker whose heartbeat is older than this is offline (WORKER_STALE_AFTER_MS; 3 heartbeats by default).</summary>
    [Range(100, 86_400_000)]
    public int StaleAfterMs { get; set; } = 15_000;
}
