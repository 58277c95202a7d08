namespace BrowserAutomation.Persistence.Entities;

/// <summary>A worker process (table browser_workers).</summary>
public sealed class BrowserWorker
{
    public Guid Id { get; set; }

    public int? BrowserTypeId { get; set; }

    /// <summary>idle, busy or offline.</summary>
    public string Status { get; set; } = "idle";

    public Guid? CurrentJobId { get; set; }

    public DateTime LastHeartbeat { get; set; }

    public DateTime StartedAt { get; set; }

    /// <summary>Host, engines and pool statistics as JSON (jsonb).</summary>
    public string? Metadata { get; set; }
}
