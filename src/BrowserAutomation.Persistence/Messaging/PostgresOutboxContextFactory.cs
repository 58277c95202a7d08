using System.Data;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// Consumer outbox + inbox in one READ COMMITTED transaction per delivery: record and lock the inbox row; if the
/// message was already consumed, acknowledge it; otherwise run the consumer/saga on the same DbContext and
/// transaction, store its outgoing messages, mark the inbox row, commit. The acknowledgement follows the commit.
/// </summary>
internal sealed class PostgresOutboxContextFactory(AutomationDbContext dbContext, IServiceProvider provider)
    : IOutboxContextFactory<AutomationDbContext>
{
    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.MessageId ?? throw new MessageException(typeof(T), "MessageId is required by the inbox");

        dbContext.ChangeTracker.Clear();
        await using var transaction = await dbContext.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, context.CancellationToken);

        var consumed = await Inbox.ReceiveAsync(dbContext, messageId, options.ConsumerId, context.CancellationToken);

        var outboxContext = new PostgresOutboxConsumeContext<T>(context, options, provider, dbContext, messageId, consumed);

        await next.Send(outboxContext);

        // EF wraps a SaveChanges inside a transaction in SAVEPOINT/RELEASE (two round trips) so that a caller can
        // recover from a failed save; nothing recovers from this last one: it fails the delivery and rolls back.
        dbContext.Database.AutoSavepointsEnabled = false;
        await dbContext.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("outboxContextFactory");
        scope.Add("provider", "postgresql");
    }
}
