using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>The inbox: remembers which (message, consumer) pairs were consumed.</summary>
public static class Inbox
{
    private const string ReceiveSql = """
        INSERT INTO inbox_states (message_id, consumer_id, received, receive_count)
        VALUES ($1, $2, now(), 1)
        ON CONFLICT (message_id, consumer_id) DO UPDATE SET receive_count = inbox_states.receive_count + 1
        RETURNING consumed
        """;

    private const string MarkConsumedSql = "UPDATE inbox_states SET consumed = now() WHERE message_id = $1 AND consumer_id = $2";

    /// <summary>
    /// Records a receipt and locks the row for the rest of the current transaction, in one round trip.
    /// Returns true when the message was already consumed by this consumer.
    /// </summary>
    public static async Task<bool> ReceiveAsync(AutomationDbContext db, Guid messageId, Guid consumerId, CancellationToken cancellationToken)
    {
        // Plain Npgsql: it runs for every delivery, and EF Core's raw-SQL path costs more than the statement.
        var transaction = Transaction(db);
        await using var command = new NpgsqlCommand(ReceiveSql, transaction.Connection, transaction)
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = messageId }, new NpgsqlParameter<Guid> { TypedValue = consumerId } },
        };
        return await command.ExecuteScalarAsync(cancellationToken) is not (null or DBNull);
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
    public static async Task MarkConsumedAsync(AutomationDbContext db, Guid messageId, Guid consumerId, CancellationToken cancellationToken)
    {
        var transaction = Transaction(db);
        await using var command = new NpgsqlCommand(MarkConsumedSql, transaction.Connection, transaction)
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = messageId }, new NpgsqlParameter<Guid> { TypedValue = consumerId } },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlTransaction Transaction(AutomationDbContext db) =>
        db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
        ?? throw new InvalidOperationException("The inbox must be used inside a transaction.");
}
