using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Security;
using BrowserAutomation.Persistence.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Webhooks;

/// <summary>
/// Signing secrets and default webhooks per signer (an API key). A secret is generated here, returned once, and
/// stored only encrypted with SECRETS_ENCRYPTION_KEY.
/// </summary>
public sealed class WebhookKeys(AutomationDbContext db, JobSecrets secrets, IOptions<WebhookOptions> options, Infrastructure.LookupCache cache)
{
    private const string SecretField = "webhook_keys.secret";

    /// <summary>Adds a new signer's secret and default to the context (saved by the caller's SaveChanges); returns the secret.</summary>
    public string Stage(string signerId, string? defaultUrl, IReadOnlyList<string>? defaultEvents)
    {
        var secret = WebhookSignature.GenerateSecret();
        db.Set<WebhookKey>().Add(new WebhookKey
        {
            SignerId = signerId,
            Secret = secrets.ProtectValue(secret, SecretField),
            DefaultUrl = defaultUrl,
            DefaultEvents = defaultUrl is null ? null : [.. defaultEvents ?? WebhookEvents.Default],
            CreatedAt = DateTime.UtcNow,
        });
        cache.Invalidate($"webhook_keys:{signerId}");
        return secret;
    }

    /// <summary>Replaces (or creates) the signer's secret; the old one stops signing at once. Returns the new secret.</summary>
    public async Task<string> RotateAsync(string signerId, CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.GenerateSecret();
        var stored = secrets.ProtectValue(secret, SecretField);
        var now = DateTime.UtcNow;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO webhook_keys (signer_id, secret, created_at, secret_rotated_at) VALUES ({signerId}, {stored}, {now}, {now})
            ON CONFLICT (signer_id) DO UPDATE SET secret = EXCLUDED.secret, secret_rotated_at = EXCLUDED.secret_rotated_at
            """, cancellationToken);
        // This copy forgets at once; the others when the trigger's NOTIFY reaches them.
        cache.Invalidate($"webhook_keys:{signerId}");
        return secret;
    }

    /// <summary>Sets (url not null) or clears the signer's default webhook.</summary>
    public async Task SetDefaultAsync(string signerId, string? url, IReadOnlyList<string>? events, CancellationToken cancellationToken)
    {
        var list = url is null ? null : (events ?? WebhookEvents.Default).ToList();
        var now = DateTime.UtcNow;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO webhook_keys (signer_id, default_url, default_events, created_at) VALUES ({signerId}, {url}, {list}, {now})
            ON CONFLICT (signer_id) DO UPDATE SET default_url = EXCLUDED.default_url, default_events = EXCLUDED.default_events
            """, cancellationToken);
        cache.Invalidate($"webhook_keys:{signerId}");
    }

    /// <summary>The signer's settings through the lookup cache (a trigger announces every change on lookup_changes).</summary>
    public async Task<WebhookKey?> FindAsync(string signerId, CancellationToken cancellationToken)
    {
        var key = await cache.WebhookKeyAsync(signerId,
            () => db.Set<WebhookKey>().AsNoTracking().SingleOrDefaultAsync(k => k.SignerId == signerId, cancellationToken));
        return key.Secret is null && key.DefaultUrl is null ? null : key;
    }

    /// <summary>Whether deliveries of this signer can be signed at all.</summary>
    public async Task<bool> HasSecretAsync(string signerId, CancellationToken cancellationToken) =>
        signerId == WebhookKey.BusSigner
            ? !string.IsNullOrEmpty(options.Value.BusSigningSecret)
            : (await FindAsync(signerId, cancellationToken))?.Secret is not null;

    /// <summary>The signer's secret in clear, for signing one attempt; null when it has none.</summary>
    public async Task<string?> SigningSecretAsync(string signerId, CancellationToken cancellationToken)
    {
        if (signerId == WebhookKey.BusSigner)
        {
            return options.Value.BusSigningSecret is { Length: > 0 } bus ? bus : null;
        }

        var stored = await db.Set<WebhookKey>().AsNoTracking().Where(k => k.SignerId == signerId).Select(k => k.Secret).SingleOrDefaultAsync(cancellationToken);
        return stored is null ? null : secrets.UnprotectValue(stored, SecretField);
    }
}
