using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Persistence.Sagas;

internal sealed class PostgresSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    private static string? _lockSql;

    private readonly AutomationDbContext _db;
    private readonly ConsumeContext<TMessage> _context;
    private readonly ISagaConsumeContextFactory<AutomationDbContext, TSaga> _factory;

    public PostgresSagaRepositoryContext(AutomationDbContext db, ConsumeContext<TMessage> context,
        ISagaConsumeContextFactory<AutomationDbContext, TSaga> factory)
        : base(context, db)
    {
        _db = db;
        _context = context;
        _factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_db, _context, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        // A failed INSERT aborts a PostgreSQL transaction; the savepoint keeps the surrounding one usable.
        var transaction = _db.Database.CurrentTransaction!;
        await transaction.CreateSavepointAsync("saga_insert", CancellationToken);
        var entry = _db.Set<TSaga>().Add(instance);
        try
        {
            await _db.SaveChangesAsync(CancellationToken);
            await transaction.ReleaseSavepointAsync("saga_insert", CancellationToken);
            return await _factory.CreateSagaConsumeContext(_db, _context, instance, SagaConsumeContextMode.Insert);
        }
        catch (DbUpdateException)
        {
            entry.State = EntityState.Detached;
            await transaction.RollbackToSavepointAsync("saga_insert", CancellationToken);
            return null!;
        }
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _db.Set<TSaga>()
            .FromSqlRaw(LockSql(_db), correlationId)
            .AsTracking()
            .SingleOrDefaultAsync(CancellationToken);

        return instance is null
            ? null!
            : await _factory.CreateSagaConsumeContext(_db, _context, instance, SagaConsumeContextMode.Load);
    }

    public async Task Save(SagaConsumeContext<TSaga> context)
    {
        _db.Set<TSaga>().Add(context.Saga);
        await _db.SaveChangesAsync(CancellationToken);
    }

    // Nothing to write yet: the delivery's own save follows (the consumer outbox's, or the repository factory's when it
    // opened the transaction) and writes the instance in one batch with the job's events, log rows, outgoing messages
    // and the inbox mark, one round trip instead of two. The row is locked FOR UPDATE since Load.
    public Task Update(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public async Task Delete(SagaConsumeContext<TSaga> context)
    {
        _db.Set<TSaga>().Remove(context.Saga);
        await _db.SaveChangesAsync(CancellationToken);
    }

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context)
    {
        var entry = _db.ChangeTracker.Entries<TSaga>().FirstOrDefault(e => e.Entity.CorrelationId == context.Saga.CorrelationId);
        if (entry is not null)
        {
            entry.State = EntityState.Unchanged;
        }

        return Task.CompletedTask;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_db, consumeContext, instance, mode);

    private static string LockSql(AutomationDbContext db)
    {
        if (_lockSql is not null)
        {
            return _lockSql;
        }

        var entity = db.Model.FindEntityType(typeof(TSaga)) ?? throw new InvalidOperationException($"{typeof(TSaga).Name} is not mapped");
        var key = entity.FindPrimaryKey()!.Properties.Single().GetColumnName();
        return _lockSql = $"SELECT * FROM \"{entity.GetTableName()}\" WHERE \"{key}\" = {{0}} FOR UPDATE";
    }
}
