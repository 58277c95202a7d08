using System.Data.Common;
using System.Runtime.CompilerServices;
using BrowserAutomation.Persistence.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// Hands the outbox rows a transaction wrote to this process's dispatcher the moment the transaction commits, so they
/// are sent from memory, without the dispatcher reading them back. While the dispatcher runs, each row due now is
/// leased to it when saved (<see cref="OutboxMessage.LockedUntil"/>, <see cref="OutboxMessage.LockedBy"/>), so no other
/// dispatcher sends it meanwhile; rows of a process that died before sending them are claimed by the others as soon as
/// none of its sessions is left in PostgreSQL (at the latest when the lease ends). Only rows whose save and
/// transaction both succeeded are handed over: a failed save, a rollback or a failed commit hands over nothing, and a
/// rollback to a savepoint after a save (which might have undone it) leaves the rows to be claimed after their lease.
/// Delayed rows only bring the dispatcher's next look at the table forward.
/// </summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal, IOptions<OutboxOptions> options, IOptions<DatabaseOptions> database)
    : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly TimeSpan _lease = TimeSpan.FromMilliseconds(options.Value.HandOffLeaseMs);

    // Whose lease: the process's sessions carry this name, so others see when the process is gone.
    private readonly string _owner = database.Value.ApplicationName ?? OutboxDispatcher.ApplicationName(dispatching: true);

    // The rows of a save in progress, then of the transaction it belongs to. Npgsql reuses transaction objects, so a
    // transaction's entry is reset when it starts.
    private readonly ConditionalWeakTable<DbContext, Written> _saving = [];
    private readonly ConditionalWeakTable<DbTransaction, Written> _transactions = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stage(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Stage(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Unstage(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Unstage(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Unstage(eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Unstage(eventData.Context);
        return Task.CompletedTask;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        _transactions.Remove(result);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        _transactions.Remove(result);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _transactions.Remove(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _transactions.Remove(transaction);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Failed(transaction);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(transaction);
        return Task.CompletedTask;
    }

    public void RolledBackToSavepoint(DbTransaction transaction, TransactionEventData eventData) => Uncertain(transaction);

    public Task RolledBackToSavepointAsync(DbTransaction transaction, TransactionEventData eventData, CancellationToken cancellationToken = default)
    {
        Uncertain(transaction);
        return Task.CompletedTask;
    }

    internal void Stage(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        Written? written = null;
        var leaseUntil = signal.Dispatching ? DateTime.UtcNow + _lease : (DateTime?)null;
        foreach (var entry in context.ChangeTracker.Entries<OutboxMessage>())
        {
            if (entry.State != EntityState.Added)
            {
                continue;
            }

            written ??= new Written();
            var row = entry.Entity;
            if (row.DeliverAfter is { } due)
            {
                written.Due = written.Due is { } earlier && earlier < due ? earlier : due;
            }
            else if (leaseUntil is { } until)
            {
                row.LockedUntil ??= until;
                row.LockedBy ??= _owner;
                written.Leased.Add(row);
            }
            else
            {
                written.Unleased = true;
            }
        }

        if (written is null)
        {
            _saving.Remove(context);
        }
        else
        {
            _saving.AddOrUpdate(context, written);
        }
    }

    internal void Unstage(DbContext? context)
    {
        if (context is not null)
        {
            _saving.Remove(context);
        }
    }

    internal void Saved(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out var written))
        {
            return;
        }

        _saving.Remove(context);
        // A save outside a transaction is its own commit.
        if (context.Database.CurrentTransaction?.GetDbTransaction() is not { } transaction)
        {
            Deliver(written);
            return;
        }

        _transactions.GetValue(transaction, _ => new Written()).Add(written);
    }

    private void Committed(DbTransaction transaction)
    {
        if (_transactions.TryGetValue(transaction, out var written))
        {
            _transactions.Remove(transaction);
            Deliver(written);
        }
    }

    /// <summary>A commit whose outcome is unknown: its rows, if committed, are claimed back once their lease ends.</summary>
    private void Failed(DbTransaction transaction)
    {
        if (_transactions.TryGetValue(transaction, out var written))
        {
            _transactions.Remove(transaction);
            if (written.Leased.Count > 0)
            {
                signal.DueAt(DateTime.UtcNow + _lease);
            }
        }
    }

    private void Uncertain(DbTransaction transaction)
    {
        if (_transactions.TryGetValue(transaction, out var written))
        {
            written.Uncertain = true;
        }
    }

    private void Deliver(Written written)
    {
        if (written.Leased.Count > 0)
        {
            if (written.Uncertain)
            {
                signal.DueAt(DateTime.UtcNow + _lease);
            }
            else
            {
                signal.HandOff(written.Leased);
            }
        }

        if (written.Due is { } due)
        {
            signal.DueAt(due);
        }

        if (written.Unleased)
        {
            // Saved before the dispatcher started, or written where none runs (then nobody waits on the signal).
            signal.RequestClaim();
        }
    }

    private sealed class Written
    {
        public List<OutboxMessage> Leased { get; } = [];

        public DateTime? Due { get; set; }

        public bool Unleased { get; set; }

        public bool Uncertain { get; set; }

        public void Add(Written other)
        {
            Leased.AddRange(other.Leased);
            Due = (Due, other.Due) switch
            {
                ({ } a, { } b) => a < b ? a : b,
                (var a, var b) => a ?? b,
            };
            Unleased |= other.Unleased;
        }
    }
}
