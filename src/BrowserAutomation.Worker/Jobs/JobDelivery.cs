using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BrowserAutomation.Worker.Jobs;

/// <summary>
/// The first statement of each of the attempt's transactions, in one round trip: records the delivery in the inbox
/// (locking its row, as <see cref="Persistence.Messaging.Inbox.ReceiveAsync"/> does) and reads the job's state, FOR
/// SHARE when the state machine must not change the row before this transaction commits.
/// </summary>
internal static class JobDelivery
{
    private const string Sql = """
        WITH receipt AS (
            INSERT INTO inbox_states (message_id, consumer_id, received, receive_count)
            VALUES ($1, $2, now(), 1)
            ON CONFLICT (message_id, consumer_id) DO UPDATE SET receive_count = inbox_states.receive_count + 1
            RETURNING consumed)
        SELECT r.consumed, j.status, j.attempt, j.created_at, j.action_type
        FROM receipt AS r
        LEFT JOIN LATERAL (SELECT status, attempt, created_at, action_type FROM automation_jobs WHERE id = $3 /*lock*/) AS j ON true
        """;

    private static readonly string Shared = Sql.Replace("/*lock*/", "FOR SHARE", StringComparison.Ordinal);

    /// <summary>What the job looked like to this delivery (State is the state machine's state name).</summary>
    public sealed record JobSnapshot(string State, int Attempt, DateTime CreatedAt, string ActionType);

    /// <summary>Whether this consumer already consumed the message, and the job (null when it no longer exists).</summary>
    public static async Task<(bool Consumed, JobSnapshot? Job)> ReceiveAsync(AutomationDbContext db, Guid messageId, Guid consumerId, Guid jobId,
        bool lockJob, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("A delivery is received inside a transaction.");
        await using var command = new NpgsqlCommand(lockJob ? Shared : Sql, (NpgsqlConnection)transaction.Connection!, (NpgsqlTransaction)transaction)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = messageId },
                new NpgsqlParameter<Guid> { TypedValue = consumerId },
                new NpgsqlParameter<Guid> { TypedValue = jobId },
            },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var consumed = !await reader.IsDBNullAsync(0, cancellationToken);
        var job = await reader.IsDBNullAsync(1, cancellationToken)
            ? null
            : new JobSnapshot(JobStates.ToState(reader.GetString(1)), reader.GetInt32(2), reader.GetDateTime(3), reader.GetString(4));
        return (consumed, job);
    }
}
