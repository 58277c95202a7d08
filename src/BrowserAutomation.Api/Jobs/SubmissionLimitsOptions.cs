using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Api.Jobs;

/// <summary>Quotas and back-pressure for REST and action submissions (section "Limits").</summary>
public sealed class SubmissionLimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Pending plus processing jobs one owner may have (MAX_CONCURRENT_JOBS_PER_KEY); a key can carry its own value. Beyond it: 429.</summary>
    [Range(1, 1_000_000)]
    public int MaxConcurrentJobsPerKey { get; set; } = 100;

    /// <summary>Pending jobs an engine's backlog may hold before new submissions for it get 503 (QUEUE_MAX_DEPTH_PER_ENGINE).</summary>
    [Range(1, 10_000_000)]
    public int QueueMaxDepthPerEngine { get; set; } = 1000;

    /// <summary>The Retry-After both refusals suggest, in seconds.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;
}
