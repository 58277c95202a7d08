using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence.Jobs;
using BrowserAutomation.Persistence.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BrowserAutomation.Persistence.Webhooks;

/// <summary>
/// Writes a webhook delivery in the same SaveChanges (and so the same transaction) as the job transition it reports:
/// whatever moves a job (the state machine, a cancellation, a job stored already finished) is covered, and a
/// transition that rolls back leaves no delivery behind. job.started is the first move to processing only. Only jobs
/// stored with a webhook (<see cref="AutomationJob.HasWebhook"/>) have it read: the others' transitions cost no query.
/// </summary>
internal sealed class WebhookEventRecorder(WebhookSignal signal) : CommitSignalInterceptor(signal)
{
    protected override async ValueTask BeforeSaveAsync(AutomationDbContext db, CancellationToken cancellationToken)
    {
        foreach (var (entry, eventType) in Transitions(db))
        {
            var webhook = Tracked(db, entry.Entity.Id)
                          ?? (entry.Entity.HasWebhook
                              ? await db.Set<JobWebhook>().AsNoTracking().SingleOrDefaultAsync(w => w.JobId == entry.Entity.Id, cancellationToken)
                              : null);
            Record(db, entry.Entity, eventType, webhook);
        }
    }

    protected override void BeforeSave(AutomationDbContext db)
    {
        foreach (var (entry, eventType) in Transitions(db))
        {
            var webhook = Tracked(db, entry.Entity.Id)
                          ?? (entry.Entity.HasWebhook ? db.Set<JobWebhook>().AsNoTracking().SingleOrDefault(w => w.JobId == entry.Entity.Id) : null);
            Record(db, entry.Entity, eventType, webhook);
        }
    }

    /// <summary>Jobs whose status changes in this save, with the event that change is.</summary>
    private static List<(EntityEntry<AutomationJob> Entry, string EventType)> Transitions(AutomationDbContext db)
    {
        var found = new List<(EntityEntry<AutomationJob>, string)>();
        foreach (var entry in db.ChangeTracker.Entries<AutomationJob>())
        {
            var state = entry.Property(j => j.CurrentState);
            var changed = entry.State == EntityState.Added
                          || (entry.State == EntityState.Modified && state.IsModified && state.OriginalValue != state.CurrentValue);
            if (!changed)
            {
                continue;
            }

            var status = entry.Entity.Status;
            var firstStart = status == JobStatuses.Processing
                             && (entry.State == EntityState.Added || entry.Property(j => j.StartedAt).OriginalValue is null);
            if ((firstStart ? WebhookEvents.Started : WebhookEvents.ForFinalStatus(status)) is { } eventType)
            {
                found.Add((entry, eventType));
            }
        }

        return found;
    }

    private static JobWebhook? Tracked(AutomationDbContext db, Guid jobId) =>
        db.ChangeTracker.Entries<JobWebhook>().FirstOrDefault(e => e.Entity.JobId == jobId && e.State != EntityState.Deleted)?.Entity;

    private void Record(AutomationDbContext db, AutomationJob job, string eventType, JobWebhook? webhook)
    {
        if (webhook is null || !webhook.Events.Contains(eventType))
        {
            return;
        }

        // A save that failed and is tried again in the same context must not add the event twice.
        if (db.ChangeTracker.Entries<WebhookDelivery>().Any(e => e.State == EntityState.Added && e.Entity.JobId == job.Id && e.Entity.EventType == eventType))
        {
            return;
        }

        var now = DateTime.UtcNow;
        db.Set<WebhookDelivery>().Add(new WebhookDelivery
        {
            Id = Guid.NewGuid(),
            JobId = job.Id,
            EventType = eventType,
            Url = webhook.Url,
            SignerId = webhook.SignerId,
            Body = WebhookPayload.Build(eventType, job, now),
            Status = WebhookDelivery.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            QueuedAt = now,
        });
        MarkPending(db);
    }
}
