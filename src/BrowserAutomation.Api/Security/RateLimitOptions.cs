using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Api.Security;

/// <summary>
/// Requests per API key and fixed window (section "RateLimit"): <see cref="Max"/> per <see cref="WindowMs"/> for submissions
/// and every other change (a key can carry its own values), and a separate, larger budget for reads (GET: jobs, artifacts,
/// logs, streams, listings), so polling never eats into what a key may submit.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Requests per window (RATE_LIMIT_MAX).</summary>
    [Range(1, int.MaxValue)]
    public int Max { get; set; } = 100;

    /// <summary>The window in milliseconds (RATE_LIMIT_WINDOW_MS).</summary>
    [Range(100, 86_400_000)]
    public int WindowMs { get; set; } = 60_000;

    /// <summary>Reads per window (READ_RATE_LIMIT_MAX): 3000 a minute lets a client poll at 50 Hz.</summary>
    [Range(1, int.MaxValue)]
    public int ReadMax { get; set; } = 3_000;

    /// <summary>The reads' window in milliseconds (READ_RATE_LIMIT_WINDOW_MS).</summary>
    [Range(100, 86_400_000)]
    public int ReadWindowMs { get; set; } = 60_000;
}
