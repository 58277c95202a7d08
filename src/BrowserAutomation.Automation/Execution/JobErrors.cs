using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Execution;

/// <summary>Maps what went wrong during an attempt onto <see cref="JobErrorTypes"/> and a short message.</summary>
internal static class JobErrors
{
    private const int MaxMessageLength = 500;

    public static (string ErrorType, string Message) Classify(Exception exception, bool attemptTimedOut, bool browserGone, int timeoutMs)
    {
        // A dead browser makes every pending call fail with some error; the death is the cause.
        if (browserGone || IsTargetClosed(exception))
        {
            return (JobErrorTypes.BrowserCrashed, "The browser crashed or disconnected during the job.");
        }

        return exception switch
        {
            JobStepException step => (step.ErrorType, Shorten(step.Message)),
            BrowserUnavailableException { Configured: false } unavailable => (JobErrorTypes.ValidationError, Shorten(unavailable.Message)),
            BrowserUnavailableException unavailable => (JobErrorTypes.BrowserCrashed, Shorten(unavailable.Message)),
            OperationCanceledException when attemptTimedOut => (JobErrorTypes.Timeout, $"The job exceeded its timeout of {timeoutMs} ms."),
            TimeoutException timeout => (JobErrorTypes.Timeout, Shorten(timeout.Message)),
            PlaywrightException playwright when IsNavigationError(playwright) => (JobErrorTypes.NavigationFailed, Shorten(playwright.Message)),
            PlaywrightException playwright when playwright.Message.Contains("strict mode violation", StringComparison.Ordinal)
                => (JobErrorTypes.ValidationError, Shorten(playwright.Message)),
            PlaywrightException playwright when IsWrongElement(playwright) => (JobErrorTypes.ValidationError, Shorten(playwright.Message)),
            PlaywrightException playwright when IsRejectedTimezone(playwright)
                => (JobErrorTypes.ValidationError, $"options.timezoneId is not a time zone the browser knows: {Shorten(playwright.Message)}"),
            _ => (JobErrorTypes.Internal, Shorten(exception.Message)),
        };
    }

    /// <summary>The step asked an element for something it cannot do (fill a div, check a button, select on an input...).</summary>
    public static bool IsWrongElement(PlaywrightException exception) =>
        WrongElementMessages.Any(m => exception.Message.Contains(m, StringComparison.Ordinal));

    private static readonly string[] WrongElementMessages =
    [
        "Element is not an <input>",
        "Element is not a <select>",
        "Not a checkbox or radio button",
        "Node is not an <input>",
        "Node is not an HTMLInputElement",
        "Cannot type text into input",
        "Malformed value",
        "Unknown key",
        "Clicking the checkbox did not change its state",
    ];

    /// <summary>Chromium: "Invalid timezone ID: X"; Firefox over BiDi: "Protocol error (emulation.setTimezoneOverride): invalid argument".</summary>
    public static bool IsRejectedTimezone(PlaywrightException exception) =>
        exception.Message.Contains("Invalid timezone", StringComparison.OrdinalIgnoreCase)
        || exception.Message.Contains("setTimezoneOverride", StringComparison.Ordinal);

    /// <summary>": waiting for element to be visible, enabled and stable": the last thing Playwright was waiting for.</summary>
    public static string LastCallLogLine(string message)
    {
        var last = message.Split('\n')
            .Select(static l => l.Trim())
            .LastOrDefault(static l => l.StartsWith("- ", StringComparison.Ordinal));
        return last is null ? string.Empty : $" ({Shorten(last[2..].Trim())})";
    }

    public static bool IsNavigationError(PlaywrightException exception) =>
        exception.Message.Contains("net::ERR_", StringComparison.Ordinal)
        || exception.Message.Contains("NS_ERROR_", StringComparison.Ordinal);

    public static bool IsTargetClosed(Exception exception) =>
        exception is PlaywrightException
        && (exception.Message.Contains("Target page, context or browser has been closed", StringComparison.Ordinal)
            || exception.Message.Contains("Target crashed", StringComparison.Ordinal)
            || exception.Message.Contains("Process exited", StringComparison.Ordinal));

    /// <summary>The first line (Playwright appends a call log), capped; never anything the job typed.</summary>
    public static string Shorten(string message)
    {
        var newLine = message.IndexOf('\n', StringComparison.Ordinal);
        var firstLine = (newLine >= 0 ? message[..newLine] : message).Trim();
        return firstLine.Length <= MaxMessageLength ? firstLine : string.Concat(firstLine.AsSpan(0, MaxMessageLength), "…");
    }
}
