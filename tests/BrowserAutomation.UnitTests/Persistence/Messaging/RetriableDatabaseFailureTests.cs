using BrowserAutomation.Persistence.Messaging;
using MassTransit;
using MassTransit.RetryPolicies;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BrowserAutomation.UnitTests.Persistence.Messaging;

/// <summary>Which failures a delivery is retried for, as EF Core and Npgsql actually wrap them; no database is opened.</summary>
public sealed class RetriableDatabaseFailureTests
{
    // What Npgsql throws when the connection is cut under a command.
    private static NpgsqlException CutConnection() => new("Exception while reading from stream", new EndOfStreamException());

    private static PostgresException Postgres(string sqlState) => new("failure", "ERROR", "ERROR", sqlState);

    public static TheoryData<string, Exception> Retried => new()
    {
        // SaveChanges with the connection cut, as EF's execution strategy reports it: the cause is three levels down.
        { "transient wrapper around SaveChanges", new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new DbUpdateException("An error occurred while saving the entity changes.", CutConnection())) },
        { "transient wrapper around a query", new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", CutConnection()) },
        { "cut connection", CutConnection() },
        { "refused connection", new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111)) },
        { "PostgreSQL shutting down", Postgres(PostgresErrorCodes.AdminShutdown) },
        { "PostgreSQL starting up", Postgres(PostgresErrorCodes.CannotConnectNow) },
        { "serialization failure", new DbUpdateException("save", Postgres(PostgresErrorCodes.SerializationFailure)) },
        { "deadlock", Postgres(PostgresErrorCodes.DeadlockDetected) },
        { "duplicate inbox row", new DbUpdateException("save", Postgres(PostgresErrorCodes.UniqueViolation)) },
        { "concurrency conflict", new DbUpdateConcurrencyException("conflict") },
    };

    public static TheoryData<string, Exception> NotRetried => new()
    {
        { "foreign key violation", new DbUpdateException("save", Postgres(PostgresErrorCodes.ForeignKeyViolation)) },
        { "missing table", Postgres(PostgresErrorCodes.UndefinedTable) },
        { "non-transient Npgsql failure", new NpgsqlException("protocol error") },
        { "a bug", new InvalidOperationException("Sequence contains no elements") },
        { "bad argument", new ArgumentException("bad", new FormatException()) },
    };

    [Theory]
    [MemberData(nameof(Retried))]
    public void A_transient_database_failure_anywhere_in_the_chain_is_retried(string what, Exception exception)
    {
        Assert.True(RetriableDatabaseFailure.Matches(exception), what);
    }

    [Theory]
    [MemberData(nameof(NotRetried))]
    public void Other_failures_fault_at_once(string what, Exception exception)
    {
        Assert.False(RetriableDatabaseFailure.Matches(exception), what);
    }

    [Fact]
    public void The_retries_start_fast_and_outlast_a_database_outage_of_minutes()
    {
        var policy = Assert.IsType<ExponentialRetryPolicy>(Retry.Exponential(ReceiveEndpointExtensions.DatabaseRetryLimit,
            ReceiveEndpointExtensions.DatabaseRetryMin, ReceiveEndpointExtensions.DatabaseRetryMax, ReceiveEndpointExtensions.DatabaseRetryDelta));
        var intervals = Enumerable.Range(0, ReceiveEndpointExtensions.DatabaseRetryLimit).Select(policy.GetRetryInterval).ToList();

        // MassTransit adds jitter of about a quarter to each interval; the sum is ~5.7 min give or take ~10 s.
        Assert.InRange(intervals[0], TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(300));
        Assert.All(intervals, i => Assert.InRange(i, TimeSpan.FromMilliseconds(25), TimeSpan.FromSeconds(15)));
        Assert.InRange(intervals.Aggregate(TimeSpan.Zero, (sum, i) => sum + i), TimeSpan.FromMinutes(4.5), TimeSpan.FromMinutes(8));
    }
}
