using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Security;

/// <summary>Creates, lists and revokes API keys: one implementation for the `keys` command and /api/v1/keys.</summary>
public sealed class ApiKeyStore(AutomationDbContext db, TimeProvider time)
{
    /// <summary>Stores a new key and returns it with its secret, which exists nowhere else afterwards.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(ApiKeySpec spec, CancellationToken cancellationToken, Guid? id = null)
    {
        var secret = ApiKeySecret.Generate();
        var key = new ApiKey
        {
            Id = id ?? MassTransit.NewId.NextSequentialGuid(),
            Name = spec.Name,
            Owner = spec.Owner,
            KeyHash = ApiKeySecret.Hash(secret),
            Prefix = ApiKeySecret.Prefix(secret),
            Scopes = spec.Scopes,
            RateLimitMax = spec.RateLimitMax,
            RateLimitWindowMs = spec.RateLimitWindowMs,
            MaxConcurrentJobs = spec.MaxConcurrentJobs,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return (key, secret);
    }

    public Task<List<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking().OrderBy(k => k.Owner).ThenBy(k => k.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>Revokes the key (idempotent: a revoked key keeps its first revocation time); null when there is none.</summary>
    public async Task<ApiKey?> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);
        return await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
    }
}

/// <summary>What a new key is: checked by <see cref="Validate"/>.</summary>
public sealed record ApiKeySpec(string Name, string Owner, List<string> Scopes, int? RateLimitMax, int? RateLimitWindowMs, int? MaxConcurrentJobs)
{
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100)
        {
            errors["name"] = ["name is required, at most 100 characters."];
        }

        if (string.IsNullOrWhiteSpace(Owner) || Owner.Length > 100 || Owner.Trim() != Owner)
        {
            errors["owner"] = ["owner is required, at most 100 characters, without surrounding spaces."];
        }

        if (Scopes.Count == 0 || !Scopes.All(Security.Scopes.All.Contains))
        {
            errors["scopes"] = [$"scopes is a non-empty subset of: {string.Join(", ", Security.Scopes.All)}."];
        }

        if (RateLimitMax is < 1)
        {
            errors["rateLimitMax"] = ["rateLimitMax is at least 1."];
        }

        if (RateLimitWindowMs is < 100 or > 86_400_000)
        {
            errors["rateLimitWindowMs"] = ["rateLimitWindowMs is between 100 and 86400000."];
        }

        if (MaxConcurrentJobs is < 1)
        {
            errors["maxConcurrentJobs"] = ["maxConcurrentJobs is at least 1."];
        }

        return errors;
    }
}
