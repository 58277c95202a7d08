using System.Globalization;
using System.Security.Claims;

namespace BrowserAutomation.Api.Security;

/// <summary>The claims an authenticated key carries.</summary>
public static class ApiKeyClaims
{
    public const string Owner = "owner";
    public const string Scope = "scope";
    public const string KeyId = "key_id";
    public const string RateLimitMax = "rate_limit_max";
    public const string RateLimitWindowMs = "rate_limit_window_ms";
    public const string MaxConcurrentJobs = "max_concurrent_jobs";

    /// <summary>The caller behind a request (its owner, scopes and the key's own limits).</summary>
    public static Caller GetCaller(this ClaimsPrincipal user)
    {
        var owner = user.FindFirstValue(Owner) ?? throw new InvalidOperationException("The request is not authenticated with an API key.");
        return new Caller(owner, user.FindFirstValue(KeyId) ?? owner, user.FindAll(Scope).Select(c => c.Value).ToHashSet(),
            Int(user, RateLimitMax), Int(user, RateLimitWindowMs), Int(user, MaxConcurrentJobs));
    }

    private static int? Int(ClaimsPrincipal user, string type) =>
        user.FindFirstValue(type) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;
}

/// <summary>The authenticated caller: whose jobs it sees, what it may do, and its key's own limits (null: the defaults).</summary>
public sealed record Caller(string Owner, string KeyId, IReadOnlySet<string> Scopes, int? RateLimitMax, int? RateLimitWindowMs, int? MaxConcurrentJobs)
{
    /// <summary>Admin keys read and cancel every owner's jobs; other keys only their own owner's.</summary>
    public bool SeesAllOwners => Scopes.Contains(Security.Scopes.Admin);
}
