using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Persistence.Configuration;

/// <summary>Outbox dispatcher tuning. The dispatcher is woken by commits; the poll is only a fallback.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Fallback poll when no notification arrives (OUTBOX_POLL_INTERVAL_MS).</summary>
    [Range(50, 600_000)]
    public int PollIntervalMs { get; set; } = 2000;

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How long one send to the broker may take before the row is retried.</summary>
    [Range(100, 600_000)]
    public int SendTimeoutMs { get; set; } = 10_000;

    /// <summary>Whether this process runs a dispatcher at all.</summary>
    public bool DispatcherEnabled { get; set; } = true;
}
