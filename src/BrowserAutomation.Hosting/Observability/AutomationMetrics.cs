using System.Diagnostics.Metrics;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// The service's own instruments, on <see cref="AutomationTelemetry.Meter"/>, named as Prometheus shows them. Recording
/// costs next to nothing while no exporter listens (ENABLE_METRICS=false). Labels are bounded sets (engine, action type,
/// status, error type): never an owner, a URL or a job id.
/// </summary>
public static class AutomationMetrics
{
    /// <summary>Job run times: from 50 ms page checks to the two-minute ceiling of long jobs.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120];

    /// <summary>Queue waits: from an idle worker's few milliseconds to a ten-minute backlog.</summary>
    public static readonly IReadOnlyList<double> QueueWaitBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    public const string None = "none";

    private static readonly Counter<long> Submitted = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation_jobs_submitted_total", "{job}", "Jobs accepted (REST, action endpoints and the bus), by engine and action type.");

    private static readonly Counter<long> Finished = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation_jobs_finished_total", "{attempt}", "Job attempts ended on a worker, by engine, action type, status and error type.");

    private static readonly Histogram<double> Duration = AutomationTelemetry.Meter.CreateHistogram(
        "browser_automation_job_duration_seconds", "s", "Run time of a job attempt on a worker, start to end.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly Histogram<double> QueueWait = AutomationTelemetry.Meter.CreateHistogram(
        "browser_automation_job_queue_wait_seconds", "s", "Time from a job's acceptance to the start of its first attempt.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = QueueWaitBuckets });

    private static readonly Counter<long> Retries = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation_job_retries_total", "{retry}", "Failed attempts that were scheduled for another attempt, by engine and error type.");

    private static readonly Counter<long> UrlBlocked = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation_url_blocked_total", "{request}", "Browser requests the URL policy blocked during jobs, by engine.");

    private static readonly Counter<long> Expired = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation_jobs_expired_total", "{job}", "Jobs that ended expired: their startBy or expiresAt passed before a worker started them, by engine.");

    private static readonly Counter<long> DeliveryFaults = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation_job_delivery_faults_total", "{delivery}",
        "Job requests whose delivery faulted at a worker (not a job's own failure: a bug, or a database outage longer than the retries), by engine.");

    /// <summary>A job's request faulted at a worker and came back to the state machine as a fault (counted there).</summary>
    public static void DeliveryFaulted(string engine) => DeliveryFaults.Add(1, new KeyValuePair<string, object?>("engine", engine));

    /// <summary>A job ended expired (the state machine; counted once per job).</summary>
    public static void JobExpired(string engine) => Expired.Add(1, new KeyValuePair<string, object?>("engine", engine));

    public static void JobSubmitted(string engine, string actionType) =>
        Submitted.Add(1, new KeyValuePair<string, object?>("engine", engine), new KeyValuePair<string, object?>("action_type", actionType));

    /// <summary>One attempt ended: status completed, failed or cancelled; the error type is "none" unless it failed.</summary>
    public static void AttemptFinished(string engine, string actionType, string status, string? errorType, TimeSpan? duration)
    {
        Finished.Add(1, new KeyValuePair<string, object?>("engine", engine), new KeyValuePair<string, object?>("action_type", actionType),
            new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("error_type", errorType ?? None));
        if (duration is { } elapsed)
        {
            Duration.Record(Math.Max(0, elapsed.TotalSeconds), new KeyValuePair<string, object?>("engine", engine),
                new KeyValuePair<string, object?>("action_type", actionType), new KeyValuePair<string, object?>("status", status));
        }
    }

    public static void QueueWaited(string engine, TimeSpan wait) =>
        QueueWait.Record(Math.Max(0, wait.TotalSeconds), new KeyValuePair<string, object?>("engine", engine));

    public static void RetryScheduled(string engine, string errorType) =>
        Retries.Add(1, new KeyValuePair<string, object?>("engine", engine), new KeyValuePair<string, object?>("error_type", errorType));

    public static void UrlsBlocked(string engine, int count)
    {
        if (count > 0)
        {
            UrlBlocked.Add(count, new KeyValuePair<string, object?>("engine", engine));
        }
    }
}
