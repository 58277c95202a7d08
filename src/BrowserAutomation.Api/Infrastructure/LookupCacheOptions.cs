using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>The API's cache of API keys and browser types (section "LookupCache").</summary>
public sealed class LookupCacheOptions
{
    public const string SectionName = "LookupCache";

    /// <summary>
    /// LOOKUP_CACHE_MAX_AGE_MS: the longest an entry is used without a reload. Changes reach every API copy at once
    /// through PostgreSQL NOTIFY; this bounds staleness while a copy's LISTEN connection is down. 0 turns the cache off.
    /// </summary>
    [Range(0, 600_000)]
    public int MaxAgeMs { get; set; } = 5_000;
}
