using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>The inbox: remembers which (message, consumer) pairs were consumed.</summary>
public static class Inbox
{
    /// <summary>
    /// Records a receipt and locks the row for the rest of the current transaction, in one round trip.
    /// Returns true when the message was already consumed by this consumer.
    /// </summary>
    public static async Task<bool> ReceiveAsync(AutomationDbContext db, Guid messageId, Guid consumerId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The inbox must be used inside a transaction.");
        }

        var consumed = await db.Database
            .SqlQuery<DateTime?>($"""
                INSERT INTO inbox_states (message_id, consumer_id, received, receive_count)
                VALUES ({messageId}, {consumerId}, now(), 1)
                ON CONFLICT (message_id, consumer_id) DO UPDATE SET receive_count = inbox_states.receive_count + 1
                RETURNING consumed AS "Value"
                """)
            .ToListAsync(cancellationToken);

        return consumed.Single() is not null;
    }

    /// <summary>
    /// Marks the message consumed as part of the context's next SaveChanges: the UPDATE goes in the same batch as the
    /// consumer's own changes instead of a round trip of its own, and commits with them.
    /// </summary>
    public static void StageConsumed(AutomationDbContext db, Guid messageId, Guid consumerId)
    {
        var state = db.ChangeTracker.Entries<InboxState>()
            .Select(e => e.Entity)
            .FirstOrDefault(s => s.MessageId == messageId && s.ConsumerId == consumerId)
            ?? db.InboxStates.Attach(new InboxState { MessageId = messageId, ConsumerId = consumerId }).Entity;
        state.Consumed = DateTime.UtcNow;
        db.Entry(state).Property(s => s.Consumed).IsModified = true;
    }

    /// <summary>Marks the message consumed; commits with the consumer's other changes.</summary>
    public static Task MarkConsumedAsync(AutomationDbContext db, Guid messageId, Guid consumerId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"UPDATE inbox_states SET consumed = now() WHERE message_id = {messageId} AND consumer_id = {consumerId}",
            cancellationToken);
}
