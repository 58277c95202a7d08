using Npgsql;

namespace BrowserAutomation.Persistence;

/// <summary>
/// One more try for a statement whose pooled connection had broken while it sat idle (PostgreSQL restarted, or the
/// network dropped the connection): Npgsql only finds that out when the connection is next used, then discards it, so
/// the second try runs on a fresh one. Failing to connect at all (the database is down) is not retried here.
/// </summary>
public static class BrokenConnectionRetry
{
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> statement, CancellationToken cancellationToken)
    {
        try
        {
            return await statement(cancellationToken);
        }
        catch (NpgsqlException e) when (IsBrokenConnection(e) && !cancellationToken.IsCancellationRequested)
        {
            return await statement(cancellationToken);
        }
    }

    /// <summary>An open connection failed on use (reset, broken pipe, closed by the server), as opposed to a failed connect.</summary>
    public static bool IsBrokenConnection(NpgsqlException exception) => exception is { IsTransient: true, InnerException: IOException };
}
