using System.Net;

namespace BrowserAutomation.Networking;

/// <summary>The policy's answer for a host about to be connected to: the addresses it checked, or why not.</summary>
public sealed record ResolvedHost(UrlPolicyDecision Decision, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>The host could not be resolved: not a policy refusal, but nothing to connect to either.</summary>
    public bool Unresolved => Decision.Allowed && Addresses.Count == 0;
}
