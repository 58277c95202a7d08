using System.Diagnostics.Metrics;
using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.Automation.Forensics;

/// <summary>What became of trace and HAR recordings: too_large or failed ones are recordings clients asked for and did not get.</summary>
internal static class ForensicsTelemetry
{
    private static readonly Counter<long> Recordings = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.forensics.recordings", "{recording}",
        "Trace and HAR recordings that ended, by kind (trace, har) and outcome (kept, discarded, too_large, failed).");

    public static void Record(string kind, string outcome) =>
        Recordings.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
}
