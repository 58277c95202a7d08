using Microsoft.Extensions.Logging;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// The logging scope of work on one job: every line logged inside it, by any category, carries jobId (and attempt and
/// engine when known) as fields of the JSON log.
/// </summary>
public static class JobLogScope
{
    public static IDisposable? BeginJobScope(this ILogger logger, Guid jobId, int? attempt = null, string? engine = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var fields = new Dictionary<string, object?>(3) { ["jobId"] = jobId };
        if (attempt is { } number)
        {
            fields["attempt"] = number;
        }

        if (engine is not null)
        {
            fields["engine"] = engine;
        }

        return logger.BeginScope(fields);
    }
}
