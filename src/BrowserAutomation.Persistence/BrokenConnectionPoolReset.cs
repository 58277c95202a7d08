using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace BrowserAutomation.Persistence;

/// <summary>
/// When a pooled connection turns out to be dead (the database restarted, a link was cut), its idle siblings are almost
/// certainly dead too, and Npgsql only finds out on use: each would fail one more request after the database is back.
/// The first such failure empties the pools instead (connections in use are closed when they return), so the next
/// statements open fresh connections. (The plain-Npgsql data sources empty their own pools and these through
/// <see cref="BrokenConnectionRetry"/>.)
/// </summary>
internal sealed class BrokenConnectionPoolReset : DbCommandInterceptor, IDbTransactionInterceptor
{
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Reset(eventData.Connection, eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Reset(eventData.Connection, eventData.Exception);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Reset(transaction.Connection, eventData.Exception);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Reset(transaction.Connection, eventData.Exception);
        return Task.CompletedTask;
    }

    private static void Reset(DbConnection? connection, Exception exception)
    {
        if (connection is NpgsqlConnection npgsql && exception is NpgsqlException failure && BrokenConnectionRetry.IsBrokenConnection(failure))
        {
            NpgsqlConnection.ClearPool(npgsql);
        }
    }
}
