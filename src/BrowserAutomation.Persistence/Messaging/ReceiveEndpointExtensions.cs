using MassTransit;
using MassTransit.Configuration;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BrowserAutomation.Persistence.Messaging;

public static class ReceiveEndpointExtensions
{
    /// <summary>Runs every consumer and saga on the endpoint inside the PostgreSQL consumer outbox + inbox.</summary>
    public static void UsePostgresOutbox(this IReceiveEndpointConfigurator configurator, IRegistrationContext context)
    {
        var observer = new OutboxConsumePipeSpecificationObserver<AutomationDbContext>(configurator, context);
        configurator.ConnectConsumerConfigurationObserver(observer);
        configurator.ConnectSagaConfigurationObserver(observer);
    }

    /// <summary>
    /// Retries a delivery (new scope, new transaction) on serialization failures, deadlocks, duplicate keys,
    /// concurrency conflicts and a briefly unreachable database.
    /// </summary>
    public static void UseDatabaseRetry(this IConsumePipeConfigurator configurator) =>
        configurator.UseMessageRetry(r =>
        {
            r.Exponential(12, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
            r.Handle<DbUpdateConcurrencyException>();
            r.Handle<PostgresException>(e => e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
                or PostgresErrorCodes.UniqueViolation);
            r.Handle<NpgsqlException>(e => e.IsTransient);
            r.Handle<DbUpdateException>(e => e.InnerException is NpgsqlException { IsTransient: true }
                or PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation });
            r.Handle<InvalidOperationException>(e => e.InnerException is NpgsqlException { IsTransient: true });
        });
}
