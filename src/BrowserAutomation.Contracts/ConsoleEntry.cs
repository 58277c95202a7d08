namespace BrowserAutomation.Contracts;

/// <summary>A message the page wrote to its console (the first 100 of an attempt, each text at most 2,000 characters).</summary>
/// <param name="Type">log, debug, info, error, warning, ... as the browser reports it.</param>
/// <param name="Text">The message.</param>
/// <param name="Location">Where the script wrote it (url:line:column), when known.</param>
public sealed record ConsoleEntry(string Type, string Text, string? Location = null);
