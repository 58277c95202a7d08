using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>The console log's shape (section "Logging", beside the framework's own LogLevel and Console keys).</summary>
public sealed class LogOutputOptions
{
    public const string SectionName = "Logging";

    /// <summary>text (default) or json (LOG_FORMAT), any case.</summary>
    [EnumDataType(typeof(LogFormat))]
    public LogFormat Format { get; set; } = LogFormat.Text;
}
