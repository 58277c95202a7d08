namespace BrowserAutomation.Api.Webhooks;

/// <summary>A new signing secret (whsec_...): shown in this answer only; the previous one stops signing at once.</summary>
public sealed record WebhookSecretResponse(string Secret, string SignerId);
