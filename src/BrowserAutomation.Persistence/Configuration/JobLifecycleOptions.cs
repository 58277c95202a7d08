using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Persistence.Configuration;

/// <summary>Retry policy and attempt watchdog of the job state machine (section "Jobs").</summary>
public sealed class JobLifecycleOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Default retries for transient failures (MAX_JOB_RETRIES).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Default per-attempt time budget (DEFAULT_JOB_TIMEOUT_MS).</summary>
    [Range(1000, 300_000)]
    public int DefaultTimeoutMs { get; set; } = 30_000;

    /// <summary>Most steps a job may have (MAX_ACTIONS_PER_JOB).</summary>
    [Range(1, 10_000)]
    public int MaxActionsPerJob { get; set; } = 100;

    /// <summary>Longest per-attempt time budget a job may ask for (MAX_JOB_TIMEOUT_MS).</summary>
    [Range(1000, 3_600_000)]
    public int MaxTimeoutMs { get; set; } = 300_000;

    /// <summary>First retry delay; doubles each retry, with ±20 % jitter (JOB_RETRY_BASE_DELAY_MS).</summary>
    [Range(0, 600_000)]
    public int RetryBaseDelayMs { get; set; } = 1_000;

    /// <summary>Upper bound of a retry delay (JOB_RETRY_MAX_DELAY_MS).</summary>
    [Range(0, 3_600_000)]
    public int RetryMaxDelayMs { get; set; } = 30_000;

    /// <summary>
    /// How long past its timeout an attempt may stay silent before the watchdog counts it as a timeout
    /// (worker hung or partitioned) (JOB_ATTEMPT_GRACE_MS).
    /// </summary>
    [Range(100, 600_000)]
    public int AttemptGraceMs { get; set; } = 15_000;

    /// <summary>
    /// Whether submissions may use the evaluate action, which runs arbitrary JavaScript in the page (EVALUATE_ENABLED);
    /// off unless set. Only for deployments whose clients are all trusted; workers check the same variable.
    /// </summary>
    public bool EvaluateEnabled { get; set; }

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan RetryDelay(int retry)
    {
        var exponential = RetryBaseDelayMs * Math.Pow(2, Math.Max(0, retry - 1));
        var capped = Math.Min(exponential, RetryMaxDelayMs);
        var jitter = 1 + ((Random.Shared.NextDouble() * 0.4) - 0.2);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }
}
