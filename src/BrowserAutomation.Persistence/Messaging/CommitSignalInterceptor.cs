using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// Wakes a background loop of this process (the outbox or webhook dispatcher) after a commit that wrote work for it, so
/// the work waits for no poll interval. A save outside a transaction counts as its commit; a rolled-back transaction
/// signals nothing. Derived interceptors look at each save and call <see cref="MarkPending"/> when it writes work.
/// </summary>
internal abstract class CommitSignalInterceptor(WakeSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _pending = [];

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AutomationDbContext db)
        {
            await BeforeSaveAsync(db, cancellationToken);
        }

        return result;
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AutomationDbContext db)
        {
            BeforeSave(db);
        }

        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        AfterSave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        AfterSave(eventData.Context);
        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        AfterCommit(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => AfterCommit(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    /// <summary>Looks at a save before it runs (and may add rows to it).</summary>
    protected abstract ValueTask BeforeSaveAsync(AutomationDbContext db, CancellationToken cancellationToken);

    /// <summary>The same for a synchronous save.</summary>
    protected abstract void BeforeSave(AutomationDbContext db);

    /// <summary>This context's save writes work: signal once it is committed.</summary>
    protected void MarkPending(DbContext db) => _pending.AddOrUpdate(db, true);

    private void AfterSave(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null && _pending.Remove(context))
        {
            signal.Notify();
        }
    }

    private void AfterCommit(DbContext? context)
    {
        if (context is not null && _pending.Remove(context))
        {
            signal.Notify();
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }
}
