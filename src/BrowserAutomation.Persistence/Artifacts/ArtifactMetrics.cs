using System.Diagnostics.Metrics;
using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>Artifact store and retention instruments (labels: store type, operation, outcome, table).</summary>
public static class ArtifactMetrics
{
    private static readonly Counter<long> Operations = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation_artifact_store_operations_total", "{operation}",
        "Artifact store operations (put, read, delete, presign), by store type and outcome (ok, error).");

    private static readonly Counter<long> Bytes = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation_artifact_store_written_bytes_total", "By", "Bytes written to the artifact store, by store type.");

    private static readonly Counter<long> Retained = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation_retention_deleted_rows_total", "{row}",
        "Rows (and store objects) deleted by retention, by table (automation_jobs, job_artifacts, inbox_states, browser_workers, artifact_objects, orphan_objects).");

    public static void Operation(string store, string operation, bool ok) =>
        Operations.Add(1, new("store", store), new("operation", operation), new("outcome", ok ? "ok" : "error"));

    public static void Written(string store, long bytes) => Bytes.Add(bytes, new KeyValuePair<string, object?>("store", store));

    public static void Deleted(string table, long rows)
    {
        if (rows > 0)
        {
            Retained.Add(rows, new KeyValuePair<string, object?>("table", table));
        }
    }
}
