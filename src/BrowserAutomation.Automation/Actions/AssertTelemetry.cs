using System.Diagnostics.Metrics;
using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.Automation.Actions;

/// <summary>How assert steps end, by expectation: a rising failed count points at pages that changed under their jobs.</summary>
internal static class AssertTelemetry
{
    private static readonly Counter<long> Assertions = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.assertions", "{assertion}", "Assert steps that ended, by expect (text, visible, hidden, count, url, title) and outcome (passed, failed).");

    public static void Record(string expect, bool passed) =>
        Assertions.Add(1, new KeyValuePair<string, object?>("expect", expect), new KeyValuePair<string, object?>("outcome", passed ? "passed" : "failed"));
}
