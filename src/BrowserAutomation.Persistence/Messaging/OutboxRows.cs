using Npgsql;
using NpgsqlTypes;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// The outbox dispatcher's statements in plain Npgsql, each a single round trip: claiming due rows together with the
/// next delayed row's due time, and deleting the sent rows together with marking the failed ones for a later retry.
/// </summary>
internal static class OutboxRows
{
    private const string Columns = """
        sequence_number, message_id, deliver_after, locked_until, attempts, last_error, created_at, content_type, message_type, body,
        headers, properties, conversation_id, correlation_id, initiator_id, request_id, source_address,
        destination_address, response_address, fault_address, sent_time, expiration_time, trace_parent, trace_state
        """;

    private const string ClaimSql = $"""
        SELECT {Columns} FROM outbox_messages
        WHERE (deliver_after IS NULL OR deliver_after <= now())
          AND (locked_until IS NULL OR locked_until <= now()
               OR NOT EXISTS (SELECT 1 FROM pg_stat_activity AS a WHERE a.application_name = outbox_messages.locked_by))
        ORDER BY sequence_number
        LIMIT $1
        FOR UPDATE SKIP LOCKED
        """;

    private const string NextDueSql = "SELECT min(deliver_after) FROM outbox_messages WHERE deliver_after > now()";

    private const string DeleteSql = "DELETE FROM outbox_messages WHERE sequence_number = ANY($1)";

    private const string RetryLaterSql = """
        UPDATE outbox_messages AS o SET attempts = o.attempts + 1, last_error = f.error, deliver_after = f.due, locked_until = NULL, locked_by = NULL
        FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS f(sequence_number, error, due)
        WHERE o.sequence_number = f.sequence_number
        """;

    private const string ReleaseSql = "UPDATE outbox_messages SET locked_until = NULL, locked_by = NULL WHERE sequence_number = ANY($1)";

    // Losing this transaction in a crash only means sending its rows again, which the consumers' inbox absorbs, so it
    // does not wait for its WAL flush.
    private const string AsynchronousCommitSql = "SET LOCAL synchronous_commit TO OFF";

    /// <summary>Locks up to <paramref name="limit"/> due rows (skipping rows another dispatcher holds) and reads when the next delayed row is due.</summary>
    public static async Task<(List<OutboxMessage> Rows, DateTime? NextDue)> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        int limit, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(ClaimSql) { Parameters = { new NpgsqlParameter<int> { TypedValue = limit } } },
                new NpgsqlBatchCommand(NextDueSql),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var rows = new List<OutboxMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var next = await reader.IsDBNullAsync(0, cancellationToken) ? (DateTime?)null : reader.GetDateTime(0);
        return (rows, next);
    }

    /// <summary>Deletes the sent rows and gives each failed row its error, one more attempt and its retry time, in one round trip.</summary>
    /// <remarks>With <paramref name="asynchronousCommit"/> the transaction's commit does not wait for the WAL flush.</remarks>
    public static async Task FinishAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long[] sent,
        (long SequenceNumber, string Error, DateTime Due)[] failed, bool asynchronousCommit, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (asynchronousCommit)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(AsynchronousCommitSql));
        }

        if (sent.Length > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(DeleteSql)
            {
                Parameters = { new NpgsqlParameter<long[]> { TypedValue = sent, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint } },
            });
        }

        if (failed.Length > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(RetryLaterSql)
            {
                Parameters =
                {
                    new NpgsqlParameter<long[]> { TypedValue = [.. failed.Select(f => f.SequenceNumber)] },
                    new NpgsqlParameter<string[]> { TypedValue = [.. failed.Select(f => f.Error)] },
                    new NpgsqlParameter<DateTime[]> { TypedValue = [.. failed.Select(f => f.Due)] },
                },
            });
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Gives leased rows back to every dispatcher (this process's dispatcher stops before sending them).</summary>
    public static async Task ReleaseAsync(NpgsqlConnection connection, long[] rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ReleaseSql, connection)
        {
            Parameters = { new NpgsqlParameter<long[]> { TypedValue = rows, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint } },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static OutboxMessage Read(NpgsqlDataReader r) => new()
    {
        SequenceNumber = r.GetInt64(0),
        MessageId = r.GetGuid(1),
        DeliverAfter = NullableDate(r, 2),
        LockedUntil = NullableDate(r, 3),
        Attempts = r.GetInt32(4),
        LastError = NullableString(r, 5),
        CreatedAt = r.GetDateTime(6),
        ContentType = r.GetString(7),
        MessageType = r.GetString(8),
        Body = r.GetString(9),
        Headers = NullableString(r, 10),
        Properties = NullableString(r, 11),
        ConversationId = NullableGuid(r, 12),
        CorrelationId = NullableGuid(r, 13),
        InitiatorId = NullableGuid(r, 14),
        RequestId = NullableGuid(r, 15),
        SourceAddress = NullableUri(r, 16),
        DestinationAddress = NullableUri(r, 17),
        ResponseAddress = NullableUri(r, 18),
        FaultAddress = NullableUri(r, 19),
        SentTime = r.GetDateTime(20),
        ExpirationTime = NullableDate(r, 21),
        TraceParent = NullableString(r, 22),
        TraceState = NullableString(r, 23),
    };

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static Guid? NullableGuid(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetGuid(i);

    private static DateTime? NullableDate(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDateTime(i);

    // As EF Core's Uri mapping stores and reads them (UriKind.RelativeOrAbsolute).
    private static Uri? NullableUri(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : new Uri(r.GetString(i), UriKind.RelativeOrAbsolute);
}
