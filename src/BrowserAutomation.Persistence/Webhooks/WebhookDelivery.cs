namespace BrowserAutomation.Persistence.Webhooks;

/// <summary>
/// One event of one job for one receiver (table webhook_deliveries). Written in the transaction of the job's
/// transition; the dispatcher moves it from pending to delivered or dead. <see cref="Id"/> is the webhook-id every
/// attempt carries.
/// </summary>
public sealed class WebhookDelivery
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";

    public Guid Id { get; set; }

    public Guid JobId { get; set; }

    /// <summary>job.started, job.completed, job.failed, job.cancelled or job.expired.</summary>
    public required string EventType { get; set; }

    public required string Url { get; set; }

    /// <summary>Whose secret signs it: an API key id, "bootstrap", or "bus" (see <see cref="WebhookKey"/>).</summary>
    public required string SignerId { get; set; }

    /// <summary>The JSON body, fixed when the event happened so every attempt sends the same bytes.</summary>
    public required string Body { get; set; }

    public string Status { get; set; } = Pending;

    public int Attempts { get; set; }

    /// <summary>When the next attempt is due; while an attempt runs, the end of its lease.</summary>
    public DateTime NextAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Start of the retry window (creation, or the last redelivery request).</summary>
    public DateTime QueuedAt { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    public DateTime? DeliveredAt { get; set; }

    /// <summary>The Standard Webhooks message id.</summary>
    public string WebhookId => $"msg_{Id:N}";
}
