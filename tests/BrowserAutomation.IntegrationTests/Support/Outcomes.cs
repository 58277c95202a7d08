using System.Globalization;
using BrowserAutomation.Automation.Execution;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>An attempt's outcome in one line for a failed assertion: the error, the step it names, and each step's time.</summary>
public static class Outcomes
{
    public static string Describe(JobExecutionOutcome outcome) => string.Create(CultureInfo.InvariantCulture,
        $"{outcome.ErrorType} at step {outcome.FailedStepIndex?.ToString(CultureInfo.InvariantCulture) ?? "-"} after {outcome.DurationMs} ms: {outcome.ErrorMessage}; steps: "
        + $"{string.Join(", ", outcome.Steps.Select(s => $"{s.Index} {s.Action} {s.Status} {s.DurationMs} ms"))}");
}
