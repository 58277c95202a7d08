using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BrowserAutomation.Persistence.Jobs;

internal sealed class JobEventMap : IEntityTypeConfiguration<JobEvent>
{
    public void Configure(EntityTypeBuilder<JobEvent> b)
    {
        b.ToTable("job_events");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        b.Property(x => x.JobId).HasColumnName("job_id");
        b.HasOne<AutomationJob>().WithMany().HasForeignKey(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Owner).HasColumnName("owner").HasMaxLength(100).IsRequired();
        b.Property(x => x.Status).HasColumnName("status").HasMaxLength(20).IsRequired();
        b.Property(x => x.PreviousStatus).HasColumnName("previous_status").HasMaxLength(20);
        b.Property(x => x.Version).HasColumnName("version");
        b.Property(x => x.Attempt).HasColumnName("attempt");
        b.Property(x => x.ChangedAt).HasColumnName("changed_at");
        // One job's replay, one tenant's replay, and the retention sweep.
        b.HasIndex(x => new { x.JobId, x.Id }).HasDatabaseName("idx_job_events_job");
        b.HasIndex(x => new { x.Owner, x.Id }).HasDatabaseName("idx_job_events_owner");
        b.HasIndex(x => x.ChangedAt).HasDatabaseName("idx_job_events_changed_at");
    }
}
