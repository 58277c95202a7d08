using BrowserAutomation.Persistence.Webhooks;

namespace BrowserAutomation.Api.Webhooks;

/// <summary>A webhook delivery as clients see it: never the body's signature or the secret.</summary>
/// <param name="Id">The delivery's id (for redelivery).</param>
/// <param name="WebhookId">The webhook-id header every attempt carried.</param>
/// <param name="Event">job.started, job.completed, job.failed, job.cancelled or job.expired.</param>
/// <param name="Url">The receiver.</param>
/// <param name="Status">pending, delivered or dead.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="LastStatusCode">The receiver's last HTTP status; null when it gave none.</param>
/// <param name="LastError">Why the last attempt failed (or why the delivery is dead).</param>
/// <param name="CreatedAt">When the event happened.</param>
/// <param name="LastAttemptAt">When the last attempt was made.</param>
/// <param name="NextAttemptAt">While pending: when the next attempt is due.</param>
/// <param name="DeliveredAt">When the receiver acknowledged it (2xx).</param>
public sealed record WebhookDeliveryResponse(Guid Id, string WebhookId, string Event, string Url, string Status, int Attempts, int? LastStatusCode,
    string? LastError, DateTime CreatedAt, DateTime? LastAttemptAt, DateTime? NextAttemptAt, DateTime? DeliveredAt)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d) =>
        new(d.Id, d.WebhookId, d.EventType, d.Url, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.CreatedAt, d.LastAttemptAt,
            d.Status == WebhookDelivery.Pending ? d.NextAttemptAt : null, d.DeliveredAt);
}
