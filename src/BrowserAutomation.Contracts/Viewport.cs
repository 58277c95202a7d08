namespace BrowserAutomation.Contracts;

/// <summary>A viewport size in CSS pixels.</summary>
public sealed record Viewport(int Width, int Height);
