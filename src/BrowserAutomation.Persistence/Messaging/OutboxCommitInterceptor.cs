using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// Signals the dispatcher after a commit that wrote outbox rows, so a message waits for no poll interval.
/// A rolled-back transaction signals nothing.
/// </summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Track(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Track(eventData.Context);
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
        Reset(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Reset(eventData.Context);

    private static void Track(DbContext? context)
    {
        if (context is AutomationDbContext db && db.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            db.OutboxRowsPending = true;
        }
    }

    private void AfterSave(DbContext? context)
    {
        if (context is AutomationDbContext { OutboxRowsPending: true } db && db.Database.CurrentTransaction is null)
        {
            db.OutboxRowsPending = false;
            signal.Notify();
        }
    }

    private void AfterCommit(DbContext? context)
    {
        if (context is AutomationDbContext { OutboxRowsPending: true } db)
        {
            db.OutboxRowsPending = false;
            signal.Notify();
        }
    }

    private static void Reset(DbContext? context)
    {
        if (context is AutomationDbContext db)
        {
            db.OutboxRowsPending = false;
        }
    }
}
