using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Api.Security;

/// <summary>Requests per API key and fixed window (section "RateLimit"); a key can carry its own values.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Requests per window (RATE_LIMIT_MAX).</summary>
    [Range(1, int.MaxValue)]
    public int Max { get; set; } = 100;

    /// <summary>The window in milliseconds (RATE_LIMIT_WINDOW_MS).</summary>
    [Range(100, 86_400_000)]
    public int WindowMs { get; set; } = 60_000;
}
