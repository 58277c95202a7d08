namespace BrowserAutomation.Hosting.Observability;

/// <summary>One check of a health report: its name, healthy/degraded/unhealthy, how long it took and what it saw.</summary>
public sealed record HealthCheckResponse(string Name, string Status, double DurationMs, string? Description);
