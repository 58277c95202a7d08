using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using BrowserAutomation.Persistence.Messaging;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Persistence;

/// <summary>The unit of work for jobs, artifacts, workers, logs and the outbox/inbox tables.</summary>
public sealed class AutomationDbContext(DbContextOptions<AutomationDbContext> options) : DbContext(options)
{
    public DbSet<BrowserType> BrowserTypes => Set<BrowserType>();

    public DbSet<AutomationJob> Jobs => Set<AutomationJob>();

    public DbSet<JobArtifact> Artifacts => Set<JobArtifact>();

    public DbSet<BrowserWorker> Workers => Set<BrowserWorker>();

    public DbSet<JobLog> JobLogs => Set<JobLog>();

    public DbSet<JobEvent> JobEvents => Set<JobEvent>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxState> InboxStates => Set<InboxState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AutomationDbContext).Assembly);
    }
}
