using MassTransit;
using MassTransit.DependencyInjection;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// Makes <see cref="IPublishEndpoint"/> and <see cref="ISendEndpointProvider"/> resolved outside a consumer write to the
/// outbox of the scope's <see cref="AutomationDbContext"/>; inside a consumer they stay bound to the consume context
/// (whose own outbox is the consumer outbox).
/// </summary>
internal sealed class PostgresScopedBusContextProvider : IScopedBusContextProvider<IBus>
{
    public PostgresScopedBusContextProvider(Bind<IBus, IClientFactory> clientFactory,
        Bind<IBus, IScopedConsumeContextProvider> consumeContextProvider, IScopedConsumeContextProvider globalConsumeContextProvider,
        IServiceProvider provider)
    {
        if (consumeContextProvider.Value.HasContext)
        {
            Context = new ConsumeContextScopedBusContext(consumeContextProvider.Value.GetContext(), clientFactory.Value);
        }
        else if (globalConsumeContextProvider.HasContext)
        {
            Context = new ConsumeContextScopedBusContext(globalConsumeContextProvider.GetContext(), clientFactory.Value);
        }
        else
        {
            Context = (ScopedBusContext)provider.GetService(typeof(DbContextOutbox))!;
        }
    }

    public ScopedBusContext Context { get; }
}
