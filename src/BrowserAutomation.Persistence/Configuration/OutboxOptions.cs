using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Persistence.Configuration;

/// <summary>Outbox dispatcher tuning. The dispatcher is woken by commits; the poll is only a fallback.</summary>
public sealed class OutboxOptions : IValidatableObject
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

    /// <summary>
    /// How long a row committed by this process is reserved for its own dispatcher, which is handed the row at commit
    /// and sends it from memory (OUTBOX_HANDOFF_LEASE_MS). Other dispatchers claim the row only after that, so this
    /// bounds how late a message of a process that died between its commit and the send goes out (plus one poll).
    /// Must exceed the send timeout, or a slow send could be repeated by another dispatcher.
    /// </summary>
    [Range(1_000, 600_000)]
    public int HandOffLeaseMs { get; set; } = 30_000;

    /// <summary>Whether this process runs a dispatcher at all.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HandOffLeaseMs <= SendTimeoutMs)
        {
            yield return new ValidationResult(
                $"OUTBOX_HANDOFF_LEASE_MS (Outbox:HandOffLeaseMs, {HandOffLeaseMs}) must be longer than the send timeout (Outbox:SendTimeoutMs, "
                + $"{SendTimeoutMs}): another dispatcher would otherwise send a message again while its first send is still running.",
                [nameof(HandOffLeaseMs)]);
        }
    }
}
