using MassTransit;
using MassTransit.Configuration;

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
    /// Retries a delivery (new scope, new transaction) while <see cref="RetriableDatabaseFailure"/> matches its failure,
    /// with delays growing from 50 ms to 10 s, about 5.7 minutes in all, so a PostgreSQL restart
    /// or failover does not fault a message. Other failures fault at once.
    /// </summary>
    public static void UseDatabaseRetry(this IConsumePipeConfigurator configurator) =>
        configurator.UseMessageRetry(r =>
        {
            r.Exponential(DatabaseRetryLimit, DatabaseRetryMin, DatabaseRetryMax, DatabaseRetryDelta);
            r.Handle<Exception>(RetriableDatabaseFailure.Matches);
        });

    // About 50 ms, 150 ms, 350 ms ... then 10 s each (MassTransit adds jitter): about 5.7 minutes in all.
    internal const int DatabaseRetryLimit = 40;
    internal static readonly TimeSpan DatabaseRetryMin = TimeSpan.FromMilliseconds(50);
    internal static readonly TimeSpan DatabaseRetryMax = TimeSpan.FromSeconds(10);
    internal static readonly TimeSpan DatabaseRetryDelta = TimeSpan.FromMilliseconds(100);
}
