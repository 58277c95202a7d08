namespace BrowserAutomation.Contracts;

/// <summary>An error the page's scripts threw and nothing caught (the first 100 of an attempt, each at most 2,000 characters).</summary>
/// <param name="Message">The error as the browser reports it (message, with a stack when it has one).</param>
public sealed record PageError(string Message);
