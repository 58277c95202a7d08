namespace BrowserAutomation.Api.Webhooks;

/// <summary>A job's webhook deliveries, oldest first.</summary>
public sealed record WebhookDeliveryListResponse(IReadOnlyList<WebhookDeliveryResponse> Data);
