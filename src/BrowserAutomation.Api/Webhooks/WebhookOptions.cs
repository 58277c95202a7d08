using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Api.Webhooks;

/// <summary>Webhook delivery (section "Webhooks", WEBHOOK_* variables).</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    /// <summary>How long a delivery is retried before it ends dead (WEBHOOK_MAX_AGE_MS; default a day).</summary>
    [Range(1_000, 604_800_000)]
    public int MaxAgeMs { get; set; } = 86_400_000;

    /// <summary>One attempt's budget, connecting included (WEBHOOK_TIMEOUT_MS).</summary>
    [Range(100, 120_000)]
    public int TimeoutMs { get; set; } = 10_000;

    /// <summary>The first retry's delay; each further one doubles, with jitter (WEBHOOK_RETRY_BASE_DELAY_MS).</summary>
    [Range(10, 3_600_000)]
    public int RetryBaseDelayMs { get; set; } = 5_000;

    /// <summary>The longest delay between two attempts (WEBHOOK_RETRY_MAX_DELAY_MS).</summary>
    [Range(10, 86_400_000)]
    public int RetryMaxDelayMs { get; set; } = 3_600_000;

    /// <summary>How often the dispatcher looks for due deliveries when no commit woke it (WEBHOOK_POLL_INTERVAL_MS).</summary>
    [Range(50, 600_000)]
    public int PollIntervalMs { get; set; } = 1_000;

    /// <summary>Deliveries one dispatcher claims and sends at once.</summary>
    [Range(1, 1_000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Whether this API process delivers webhooks (WEBHOOK_DISPATCHER_ENABLED); any number of copies may.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>The whsec_ secret that signs webhooks of jobs submitted over the bus (WEBHOOK_BUS_SIGNING_SECRET).</summary>
    public string? BusSigningSecret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryMaxDelayMs < RetryBaseDelayMs)
        {
            yield return new ValidationResult("Webhooks:RetryMaxDelayMs must not be below Webhooks:RetryBaseDelayMs.",
                [nameof(RetryMaxDelayMs), nameof(RetryBaseDelayMs)]);
        }

        if (BusSigningSecret is { Length: > 0 } secret && !WebhookSignature.TryDecodeSecret(secret, out _))
        {
            yield return new ValidationResult("must be whsec_ followed by base64 of 24 to 64 random bytes.", [nameof(BusSigningSecret)]);
        }
    }
}
