namespace BrowserAutomation.Api.Webhooks;

/// <summary>A key's default webhook (url null: none), used by its jobs that name no webhook.</summary>
public sealed record KeyWebhookResponse(Guid KeyId, string? Url, IReadOnlyList<string>? Events);
