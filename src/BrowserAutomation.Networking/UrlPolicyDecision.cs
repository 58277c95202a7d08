namespace BrowserAutomation.Networking;

/// <summary>Whether a URL, host or address may be reached, and if not, why.</summary>
public readonly record struct UrlPolicyDecision(bool Allowed, string? Reason)
{
    public static UrlPolicyDecision Allow { get; } = new(true, null);

    public static UrlPolicyDecision Deny(string reason) => new(false, reason);
}
