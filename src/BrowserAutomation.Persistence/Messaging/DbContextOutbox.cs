using MassTransit;
using MassTransit.Clients;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// The bus outbox: publishes and sends made through it become rows in <c>outbox_messages</c> on the given
/// <see cref="AutomationDbContext"/>, committed with whatever else that context saves. The broker's own
/// topology still builds each send context, so exchange, routing key and priority are recorded exactly.
/// </summary>
public sealed class DbContextOutbox : ScopedBusContext, OutboxSendContext
{
    private readonly IBus _bus;
    private readonly AutomationDbContext _dbContext;
    private readonly IClientFactory _clientFactory;
    private readonly IServiceProvider _provider;
    private IPublishEndpoint? _publishEndpoint;
    private ISendEndpointProvider? _sendEndpointProvider;
    private IScopedClientFactory? _scopedClientFactory;

    public DbContextOutbox(IBus bus, AutomationDbContext dbContext, Bind<IBus, IClientFactory> clientFactory, IServiceProvider provider)
    {
        _bus = bus;
        _dbContext = dbContext;
        _clientFactory = clientFactory.Value;
        _provider = provider;
    }

    public IPublishEndpoint PublishEndpoint =>
        _publishEndpoint ??= new PublishEndpoint(new OutboxPublishEndpointProvider(this, _bus));

    public ISendEndpointProvider SendEndpointProvider =>
        _sendEndpointProvider ??= new OutboxSendEndpointProvider(this, _bus);

    public IScopedClientFactory ClientFactory =>
        _scopedClientFactory ??= new ScopedClientFactory(new ClientFactory(new ScopedClientFactoryContext(_clientFactory, _provider)), null);

    public Task AddSend<T>(SendContext<T> context)
        where T : class
    {
        var row = OutboxMessageFactory.Create(context);
        lock (_dbContext)
        {
            _dbContext.OutboxMessages.Add(row);
        }

        return Task.CompletedTask;
    }

    public object? GetService(Type serviceType) => _provider.GetService(serviceType);
}
