using System.Diagnostics.Metrics;
using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.Api.Jobs;

/// <summary>Intake figures: refusals by reason and transport, the sizes of batch submissions and of group commits, how the cap was checked.</summary>
public static class IntakeMetrics
{
    public const string RateLimited = "rate_limited";
    public const string TooManyActiveJobs = "too_many_active_jobs";
    public const string QueueFull = "queue_full";

    private static readonly Counter<long> Rejections = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.intake.rejections", "{request}",
        "Requests and submissions refused by a quota: reason = rate_limited, too_many_active_jobs, queue_full; source = reads, requests, rest, bus, batch");

    private static readonly Histogram<long> BatchSizes = AutomationTelemetry.Meter.CreateHistogram<long>(
        "browser_automation.intake.batch_size", "{job}", "Jobs per POST /api/v1/jobs/batch request",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 10, 50, 100, 250, 500, 1000] });

    private static readonly Histogram<long> GroupSizes = AutomationTelemetry.Meter.CreateHistogram<long>(
        "browser_automation.intake.group_commit_size", "{job}", "Single submissions stored per intake transaction (group commit of one owner's concurrent POSTs)",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 100] });

    private static readonly Counter<long> ActiveCounts = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.intake.active_checks", "{check}",
        "Active-job cap checks: how = bound (the owner's upper bound had room, nothing counted) or recount (the owner's active jobs were counted)");

    public static void Rejected(string reason, string source, int count = 1) =>
        Rejections.Add(count, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("source", source));

    public static void Batch(int size) => BatchSizes.Record(size);

    public static void Group(int size) => GroupSizes.Record(size);

    public static void ActiveCount(bool recounted) => ActiveCounts.Add(1, new KeyValuePair<string, object?>("how", recounted ? "recount" : "bound"));
}
