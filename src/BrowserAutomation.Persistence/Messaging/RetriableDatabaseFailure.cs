using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// The database failures a delivery is tried again for: the database briefly unreachable (a transient Npgsql failure:
/// a cut or refused connection, PostgreSQL restarting or shutting down), serialization failures, deadlocks, duplicate
/// keys (two deliveries racing for one inbox row) and optimistic concurrency conflicts. EF Core and Npgsql wrap the
/// cause (e.g. "likely due to a transient failure" around a <see cref="DbUpdateException"/> around the
/// <see cref="NpgsqlException"/>), so the whole chain of inner exceptions is searched, not its outer type.
/// </summary>
public static class RetriableDatabaseFailure
{
    public static bool Matches(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DbUpdateConcurrencyException:
                case PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation }:
                case NpgsqlException { IsTransient: true }:
                    return true;
            }
        }

        return false;
    }
}
