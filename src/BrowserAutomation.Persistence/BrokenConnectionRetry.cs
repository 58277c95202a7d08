using Npgsql;

namespace BrowserAutomation.Persistence;

/// <summary>
/// One more try for a statement whose pooled connection had broken while it sat idle (PostgreSQL restarted, or the
/// network dropped the connection): Npgsql only finds that out when the connection is next used. The idle siblings of a
/// dead connection are almost certainly dead too, in this pool and in the process's other pools (EF Core's), so those
/// pools are emptied first (connections in use are closed when they return) and the second try runs on a fresh
/// connection; otherwise each of them would fail one more request after the database is back. Failing to connect at
/// all (the database is down) is not retried here.
/// </summary>
public static class BrokenConnectionRetry
{
    public static async Task<T> RunAsync<T>(NpgsqlDataSource source, Func<CancellationToken, Task<T>> statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            return await statement(cancellationToken);
        }
        catch (NpgsqlException e) when (IsBrokenConnection(e) && !cancellationToken.IsCancellationRequested)
        {
            source.Clear();
            NpgsqlConnection.ClearAllPools();
            return await statement(cancellationToken);
        }
    }

    /// <summary>An open connection failed on use (reset, broken pipe, closed by the server), as opposed to a failed connect.</summary>
    public static bool IsBrokenConnection(NpgsqlException exception) => exception is { IsTransient: true, InnerException: IOException };
}
