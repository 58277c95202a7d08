namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// One row per (message, consumer) received (table inbox_states). A message whose row is consumed
/// is acknowledged without running the consumer again.
/// </summary>
public sealed class InboxState
{
    public Guid MessageId { get; set; }

    public Guid ConsumerId { get; set; }

    public DateTime Received { get; set; }

    public int ReceiveCount { get; set; }

    public DateTime? Consumed { get; set; }
}
