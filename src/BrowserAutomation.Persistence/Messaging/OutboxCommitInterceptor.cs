using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>Signals the outbox dispatcher after a commit that wrote outbox rows.</summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal) : CommitSignalInterceptor(signal)
{
    protected override ValueTask BeforeSaveAsync(AutomationDbContext db, CancellationToken cancellationToken)
    {
        BeforeSave(db);
        return ValueTask.CompletedTask;
    }

    protected override void BeforeSave(AutomationDbContext db)
    {
        if (db.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            MarkPending(db);
        }
    }
}
