using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// The default log level: LOG_LEVEL, unless Logging:LogLevel:Default is set (appsettings.json or Logging__LogLevel__Default).
/// Besides .NET's names it takes the usual short ones (info, warn, fatal), so LOG_LEVEL=info works as deployments write it.
/// </summary>
public sealed class LogLevelOptions : IValidatableObject
{
    public const string SectionName = "Logging:LogLevel";

    /// <summary>The level as configured (LOG_LEVEL), any case.</summary>
    public string? Default { get; set; }

    /// <summary>The configured default level, or null when none is set (the framework's default, Information, applies).</summary>
    public LogLevel? Level => string.IsNullOrWhiteSpace(Default) ? null : Parse(Default);

    /// <summary>A level by name, case-insensitive; null for anything else (numbers included).</summary>
    public static LogLevel? Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "information" or "info" => LogLevel.Information,
            "warning" or "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" or "fatal" => LogLevel.Critical,
            "none" => LogLevel.None,
            _ => null,
        };
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Default) && Level is null)
        {
            yield return new ValidationResult(
                $"must be one of trace, debug, information (info), warning (warn), error, critical (fatal) or none, not '{Default}'.",
                [nameof(Default)]);
        }
    }
}
