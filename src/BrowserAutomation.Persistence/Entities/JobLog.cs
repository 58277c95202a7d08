namespace BrowserAutomation.Persistence.Entities;

/// <summary>One execution log entry of a job (table job_logs).</summary>
public sealed class JobLog
{
    public long Id { get; set; }

    public Guid JobId { get; set; }

    /// <summary>debug, info, warn or error.</summary>
    public string Level { get; set; } = "info";

    public required string Message { get; set; }

    /// <summary>Structured details as JSON (jsonb); never secrets.</summary>
    public string? Metadata { get; set; }

    public DateTime CreatedAt { get; set; }
}
