using System.Diagnostics.Metrics;
using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.Automation.Pool;

/// <summary>Jobs with default context options that found a warm context ready (hit) or opened their own (miss).</summary>
internal static class WarmTelemetry
{
    private static readonly Counter<long> Taken = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.pool.warm_contexts", "{job}",
        "Jobs with default context options, by engine and outcome: hit (served from a pre-warmed context) or miss (a fresh one).");

    public static void Record(string engine, bool hit) =>
        Taken.Add(1, new KeyValuePair<string, object?>("engine", engine), new KeyValuePair<string, object?>("outcome", hit ? "hit" : "miss"));
}
