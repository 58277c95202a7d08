namespace BrowserAutomation.Persistence.Webhooks;

/// <summary>
/// A signer's webhook signing secret and default webhook (table webhook_keys). The signer is an API key (its id),
/// the bootstrap admin key ("bootstrap"); bus jobs are signed with WEBHOOK_BUS_SIGNING_SECRET instead.
/// The secret is stored encrypted with the secrets key and shown only when it is created.
/// </summary>
public sealed class WebhookKey
{
    public const string BusSigner = "bus";

    public required string SignerId { get; set; }

    /// <summary>The whsec_ secret, encrypted (JobSecrets); null until one is created.</summary>
    public string? Secret { get; set; }

    public string? DefaultUrl { get; set; }

    public List<string>? DefaultEvents { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? SecretRotatedAt { get; set; }
}
