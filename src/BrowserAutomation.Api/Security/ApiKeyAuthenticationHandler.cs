using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Security;

/// <summary>
/// The "ApiKey" scheme: a key in the configured header (X-API-Key) or as Authorization: Bearer, looked up by its SHA-256
/// in api_keys (or matched against the bootstrap admin key's hash). Success carries the owner, scopes and the key's
/// limits as claims; failure answers 401 problem+json with WWW-Authenticate. Keys come through the
/// <see cref="LookupCache"/>, so a revocation reaches every API copy as soon as PostgreSQL announces it.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth,
    BootstrapAdminKey bootstrap,
    AutomationDbContext db,
    LookupCache cache,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>last_used_at is written at most this often per key, not on every request.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private const string MissingKey = "missing";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Without keys, the rate limit is kept per client address rather than one bucket for everybody.
        if (auth.Value.Disabled)
        {
            return Success(AutomationJob.DefaultOwner, $"auth-disabled@{Context.Connection.RemoteIpAddress}", Scopes.All, null);
        }

        var key = ReadKey();
        if (key is null)
        {
            return AuthenticateResult.Fail(MissingKey);
        }

        var hash = ApiKeySecret.Hash(key);
        if (bootstrap.Matches(hash))
        {
            return Success(BootstrapAdminKey.Owner, "bootstrap", Scopes.All, null);
        }

        var found = await cache.KeyAsync(hash, () => db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.KeyHash == hash, Context.RequestAborted));
        if (found is null || found.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (found.LastUsedAt is null || found.LastUsedAt < now - LastUsedResolution)
        {
            var stale = now - LastUsedResolution;
            await db.ApiKeys.Where(k => k.Id == found.Id && (k.LastUsedAt == null || k.LastUsedAt < stale))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
            // The cached entry remembers it too, so the next requests skip the write for a minute.
            found.LastUsedAt = now;
        }

        return Success(found.Owner, found.Id.ToString(), found.Scopes, found);
    }

    private string? ReadKey()
    {
        if (Request.Headers[auth.Value.HeaderName] is [{ Length: > 0 } header])
        {
            return header.Trim();
        }

        if (Request.Headers.Authorization is [{ } authorization] && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim() is { Length: > 0 } bearer ? bearer : null;
        }

        return null;
    }

    private static AuthenticateResult Success(string owner, string keyId, IEnumerable<string> scopes, ApiKey? key)
    {
        var claims = new List<Claim> { new(ApiKeyClaims.Owner, owner), new(ApiKeyClaims.KeyId, keyId), new(ClaimTypes.Name, keyId) };
        claims.AddRange(scopes.Select(s => new Claim(ApiKeyClaims.Scope, s)));
        if (key?.RateLimitMax is { } max)
        {
            claims.Add(new Claim(ApiKeyClaims.RateLimitMax, max.ToString(CultureInfo.InvariantCulture)));
        }

        if (key?.RateLimitWindowMs is { } window)
        {
            claims.Add(new Claim(ApiKeyClaims.RateLimitWindowMs, window.ToString(CultureInfo.InvariantCulture)));
        }

        if (key?.MaxConcurrentJobs is { } jobs)
        {
            claims.Add(new Claim(ApiKeyClaims.MaxConcurrentJobs, jobs.ToString(CultureInfo.InvariantCulture)));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, null));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message is { } message && message != MissingKey
            ? message
            : $"This endpoint needs an API key: send it in the {auth.Value.HeaderName} header or as Authorization: Bearer <key>.";

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = new[]
        {
            $"{SchemeName} header=\"{auth.Value.HeaderName}\"",
            "Bearer realm=\"browser-automation\"",
        };
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "The API key lacks the scope this endpoint needs.");

    private Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}

/// <summary>The bootstrap admin key (Auth:BootstrapAdminKey), of which only the hash is kept, hashed once at start.</summary>
public sealed class BootstrapAdminKey(IOptions<AuthOptions> auth)
{
    /// <summary>The owner requests bearing the bootstrap key act as.</summary>
    public const string Owner = "admin";

    private readonly string? _hash = auth.Value.BootstrapAdminKey is { Length: > 0 } key ? ApiKeySecret.Hash(key) : null;

    public bool Configured => _hash is not null;

    public bool Matches(string hash) => _hash is not null && ApiKeySecret.HashesEqual(hash, _hash);
}
