using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>The body of /health/live and /health/ready: the overall status and every check that ran.</summary>
public sealed record HealthReportResponse(string Status, double TotalDurationMs, IReadOnlyList<HealthCheckResponse> Checks)
{
    private const int MaxDescriptionLength = 300;

    public static HealthReportResponse From(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new HealthReportResponse(StatusName(report.Status), Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            [.. report.Entries.Select(e => new HealthCheckResponse(e.Key, StatusName(e.Value.Status),
                Math.Round(e.Value.Duration.TotalMilliseconds, 1), Describe(e.Value)))]);
    }

    public static string StatusName(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    // Checks describe themselves; one that only threw gets its exception's message (the checks here connect with
    // settings, never print them: no connection string or password reaches a message).
    private static string? Describe(HealthReportEntry entry)
    {
        var text = entry.Description ?? entry.Exception?.Message;
        if (text is null)
        {
            return null;
        }

        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxDescriptionLength ? text : text[..MaxDescriptionLength] + "…";
    }
}
