namespace BrowserAutomation.Persistence.Entities;

/// <summary>
/// An API key (table api_keys). Only the SHA-256 of the key is stored; <see cref="Prefix"/> (the first characters)
/// lets operators recognise a key in listings without it being usable.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The tenant: the key sees only jobs of this owner.</summary>
    public required string Owner { get; set; }

    /// <summary>Lowercase hex SHA-256 of the whole key.</summary>
    public required string KeyHash { get; set; }

    /// <summary>The key's first characters (ba_ plus a few), for listings.</summary>
    public required string Prefix { get; set; }

    /// <summary>submit, read, admin.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Requests per window for this key; null uses RateLimit:Max.</summary>
    public int? RateLimitMax { get; set; }

    /// <summary>The rate limit window in milliseconds; null uses RateLimit:WindowMs.</summary>
    public int? RateLimitWindowMs { get; set; }

    /// <summary>Pending plus processing jobs this key's owner may have; null uses Limits:MaxConcurrentJobsPerKey.</summary>
    public int? MaxConcurrentJobs { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Updated at most once a minute, not on every request.</summary>
    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
