using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// The consume context a consumer or saga sees inside the consumer outbox: everything it publishes, sends or
/// schedules becomes an outbox row in the same transaction as its state change and the inbox row.
/// </summary>
internal sealed class PostgresOutboxConsumeContext<TMessage> : OutboxConsumeContextProxy<TMessage>
    where TMessage : class
{
    private readonly AutomationDbContext _dbContext;
    private readonly Guid _messageId;
    private bool _consumed;

    public PostgresOutboxConsumeContext(ConsumeContext<TMessage> context, OutboxConsumeOptions options, IServiceProvider provider,
        AutomationDbContext dbContext, Guid messageId, bool consumed)
        : base(context, options, provider)
    {
        _dbContext = dbContext;
        _messageId = messageId;
        _consumed = consumed;
    }

    public override Guid? MessageId => _messageId;

    public override bool ContinueProcessing { get; set; } = true;

    public override bool IsMessageConsumed => _consumed;

    // Outgoing messages are dispatcher-owned rows, so there is never anything left for this delivery to send.
    public override bool IsOutboxDelivered => true;

    public override int ReceiveCount => 1;

    public override long? LastSequenceNumber => null;

    // Saved by the outbox context factory's SaveChanges right after the consumer, in one batch with its changes.
    public override Task SetConsumed()
    {
        Inbox.StageConsumed(_dbContext, _messageId, ConsumerId);
        _consumed = true;
        return Task.CompletedTask;
    }

    public override Task SetDelivered() => Task.CompletedTask;

    public override Task<List<OutboxMessageContext>> LoadOutboxMessages() => Task.FromResult(new List<OutboxMessageContext>());

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message) => Task.CompletedTask;

    public override Task RemoveOutboxMessages() => Task.CompletedTask;

    public override Task AddSend<T>(SendContext<T> context)
    {
        var row = OutboxMessageFactory.Create(context);
        lock (_dbContext)
        {
            _dbContext.OutboxMessages.Add(row);
        }

        return Task.CompletedTask;
    }
}
