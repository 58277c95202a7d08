using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Api.Artifacts;

/// <summary>What the retention run deletes and how often (one API copy at a time, in bounded batches).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>
    /// JOB_CLEANUP_AFTER_DAYS: finished jobs (completed, failed, cancelled ...) older than this many days are deleted with
    /// their artifacts (in every store), logs, events and webhook deliveries. 0 keeps jobs forever.
    /// </summary>
    [Range(0, 36_500)]
    public int JobCleanupAfterDays { get; set; } = 30;

    /// <summary>RETENTION_INTERVAL_MS: time between two runs.</summary>
    [Range(1_000, 86_400_000)]
    public int IntervalMs { get; set; } = 600_000;

    /// <summary>RETENTION_BATCH_SIZE: rows deleted per transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// INBOX_RETENTION_HOURS: consumed inbox_states rows older than this are deleted. It is the de-duplication window:
    /// a message redelivered later than this would run again, so keep it far above any broker redelivery delay.
    /// </summary>
    [Range(1, 87_600)]
    public int InboxRetentionHours { get; set; } = 168;

    /// <summary>OFFLINE_WORKER_RETENTION_DAYS: browser_workers rows without a heartbeat for this many days are deleted.</summary>
    [Range(1, 3_650)]
    public int OfflineWorkerRetentionDays { get; set; } = 7;
}
