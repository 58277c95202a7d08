using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Messaging;
using MassTransit;

namespace BrowserAutomation.Persistence.Jobs;

/// <summary>The saga's endpoint: queue "job-state", database retries, and the PostgreSQL consumer outbox + inbox.</summary>
public sealed class JobStateDefinition : SagaDefinition<AutomationJob>
{
    public const string QueueName = "job-state";

    public JobStateDefinition()
    {
        EndpointName = QueueName;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<AutomationJob> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseDatabaseRetry();
        endpointConfigurator.UsePostgresOutbox(context);
    }
}
