namespace BrowserAutomation.Automation;

/// <summary>A request of the page that the URL policy refused (a subresource, frame, popup or later navigation).</summary>
public sealed record BlockedRequest(string Url, string Reason);
