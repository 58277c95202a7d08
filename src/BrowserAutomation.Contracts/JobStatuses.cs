namespace BrowserAutomation.Contracts;

/// <summary>Job statuses, as stored in automation_jobs.status.</summary>
public static class JobStatuses
{
    /// <summary>Accepted, waiting for a worker.</summary>
    public const string Pending = "pending";

    /// <summary>A worker is executing it.</summary>
    public const string Processing = "processing";

    /// <summary>Finished successfully.</summary>
    public const string Completed = "completed";

    /// <summary>Finished with an error.</summary>
    public const string Failed = "failed";

    /// <summary>Cancelled by a client.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Its deadline (startBy or expiresAt) passed before a worker started it; no browser was used.</summary>
    public const string Expired = "expired";
}
