namespace BrowserAutomation.Hosting.Observability;

/// <summary>How the console log is written (LOG_FORMAT).</summary>
public enum LogFormat
{
    /// <summary>The console's usual human-readable lines.</summary>
    Text,

    /// <summary>One JSON object per line (see <see cref="JsonLinesConsoleFormatter"/>).</summary>
    Json,
}
