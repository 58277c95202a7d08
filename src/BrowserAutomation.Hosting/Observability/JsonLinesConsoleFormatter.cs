using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// LOG_FORMAT=json: one JSON object per line with timestamp (UTC, ISO 8601), level, category, message, exception (when
/// any) and service, then the key/value pairs of the active logging scopes (jobId, attempt, engine from
/// <see cref="JobLogScope"/>; traceId, spanId, parentId from the current activity) and the message template's
/// arguments, each as a flat field. Values are written as numbers, booleans or their text: an object is never
/// serialized member by member, so a log call cannot leak fields its message does not show.
/// </summary>
public sealed class JsonLinesConsoleFormatter(string serviceName) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "automation-json";

    private static readonly string[] Reserved = ["timestamp", "level", "category", "message", "exception", "service", "eventId"];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", DateTime.UtcNow);
            writer.WriteString("level", LevelName(logEntry.LogLevel));
            writer.WriteString("category", logEntry.Category);
            writer.WriteString("message", message);
            if (logEntry.Exception is { } exception)
            {
                writer.WriteString("exception", exception.ToString());
            }

            writer.WriteString("service", serviceName);
            if (logEntry.EventId.Id != 0)
            {
                writer.WriteNumber("eventId", logEntry.EventId.Id);
            }

            var fields = new Fields(writer, new HashSet<string>(Reserved, StringComparer.Ordinal));
            scopeProvider?.ForEachScope(static (scope, fields) => fields.Write(scope), fields);
            fields.Write(logEntry.State);
            writer.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write(Environment.NewLine);
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "information",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };

    /// <summary>Writes key/value pairs as top-level fields; the first value of a name wins (outer scopes before the message's own).</summary>
    private sealed class Fields(Utf8JsonWriter writer, HashSet<string> written)
    {
        public void Write(object? source)
        {
            if (source is not IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                return;
            }

            foreach (var (key, value) in pairs)
            {
                // {OriginalFormat} is the message template, already rendered as "message".
                if (string.IsNullOrEmpty(key) || key[0] == '{' || value is null)
                {
                    continue;
                }

                var name = char.IsUpper(key[0]) ? char.ToLowerInvariant(key[0]) + key[1..] : key;
                if (written.Add(name))
                {
                    WriteValue(name, value);
                }
            }
        }

        private void WriteValue(string name, object value)
        {
            switch (value)
            {
                case bool flag:
                    writer.WriteBoolean(name, flag);
                    break;
                case int or long or short or byte or uint or ushort or sbyte:
                    writer.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case ulong big:
                    writer.WriteNumber(name, big);
                    break;
                case double d when double.IsFinite(d):
                    writer.WriteNumber(name, d);
                    break;
                case float f when float.IsFinite(f):
                    writer.WriteNumber(name, f);
                    break;
                case decimal m:
                    writer.WriteNumber(name, m);
                    break;
                case DateTime time:
                    writer.WriteString(name, time);
                    break;
                case DateTimeOffset time:
                    writer.WriteString(name, time);
                    break;
                case string text:
                    writer.WriteString(name, text);
                    break;
                case IEnumerable items:
                    // As the message renders it: the items' text, comma-separated.
                    writer.WriteString(name, string.Join(", ", items.Cast<object?>().Select(Text)));
                    break;
                default:
                    writer.WriteString(name, Text(value));
                    break;
            }
        }

        private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
