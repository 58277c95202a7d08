namespace BrowserAutomation.Api.Webhooks;

/// <summary>What one delivery attempt came to: the receiver's status code, or why there was none.</summary>
/// <param name="StatusCode">The HTTP status the receiver answered; null when there was no answer.</param>
/// <param name="Error">Why the attempt failed (no answer, refused target, non-2xx); null when delivered.</param>
/// <param name="Final">The delivery must not be retried: refused by the URL policy, 410 Gone, or no secret to sign with.</param>
public sealed record WebhookAttempt(int? StatusCode, string? Error, bool Final)
{
    public bool Delivered => StatusCode is >= 200 and < 300;

    public string Outcome => Delivered ? "delivered" : Final ? "dead" : "retry";
}
