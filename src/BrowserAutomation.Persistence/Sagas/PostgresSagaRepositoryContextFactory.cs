using System.Data;
using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Persistence.Sagas;

/// <summary>
/// Saga repository on <see cref="AutomationDbContext"/>: instances are loaded with <c>SELECT ... FOR UPDATE</c>.
/// When the consumer outbox already opened a transaction on the scope's DbContext, the repository joins it so the
/// saga's change, its outgoing messages and the inbox row commit together.
/// </summary>
internal sealed class PostgresSagaRepositoryContextFactory<TSaga>(
    AutomationDbContext dbContext,
    ISagaConsumeContextFactory<AutomationDbContext, TSaga> consumeContextFactory) : ISagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        // A failed save of the saga fails the delivery, whose transaction then rolls back whole, so EF's automatic
        // SAVEPOINT/RELEASE around each save (two round trips) buys nothing; Insert sets its own savepoint.
        dbContext.Database.AutoSavepointsEnabled = false;
        if (dbContext.Database.CurrentTransaction is not null)
        {
            await next.Send(new PostgresSagaRepositoryContext<TSaga, T>(dbContext, context, consumeContextFactory));
            return;
        }

        await using var transaction = await dbContext.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, context.CancellationToken);
        await next.Send(new PostgresSagaRepositoryContext<TSaga, T>(dbContext, context, consumeContextFactory));
        await dbContext.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        throw new NotSupportedException("Sagas on automation_jobs correlate by id only; query correlation is not supported.");

    public void Probe(ProbeContext context) => context.Add("persistence", "postgresql");
}
