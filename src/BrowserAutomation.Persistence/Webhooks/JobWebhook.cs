namespace BrowserAutomation.Persistence.Webhooks;

/// <summary>A job's webhook (table job_webhooks): the job's own or its key's default, fixed at submission.</summary>
public sealed class JobWebhook
{
    public Guid JobId { get; set; }

    public required string Url { get; set; }

    public List<string> Events { get; set; } = [];

    /// <summary>Whose secret signs the deliveries (<see cref="WebhookKey.SignerId"/>).</summary>
    public required string SignerId { get; set; }
}
