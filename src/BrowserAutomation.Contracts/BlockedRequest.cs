namespace BrowserAutomation.Contracts;

/// <summary>A request of the page that the URL policy refused without failing the job (a subresource, frame, popup or WebSocket).</summary>
/// <param name="Url">The URL that was requested.</param>
/// <param name="Reason">Why the policy refused it.</param>
public sealed record BlockedRequest(string Url, string Reason);
