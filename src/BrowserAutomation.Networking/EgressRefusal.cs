namespace BrowserAutomation.Networking;

/// <summary>A request or tunnel the egress proxy refused: what was asked for (a URL or host:port) and why.</summary>
public sealed record EgressRefusal(string Target, string Host, int Port, string Reason, DateTimeOffset At);
