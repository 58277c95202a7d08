using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BrowserAutomation.Persistence.Mappings;

internal sealed class BrowserWorkerMap : IEntityTypeConfiguration<BrowserWorker>
{
    public void Configure(EntityTypeBuilder<BrowserWorker> b)
    {
        b.ToTable("browser_workers");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        b.Property(x => x.BrowserTypeId).HasColumnName("browser_type_id");
        b.HasOne<BrowserType>().WithMany().HasForeignKey(x => x.BrowserTypeId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Status).HasColumnName("status").HasMaxLength(20).HasDefaultValue("idle").ValueGeneratedNever();
        b.Property(x => x.CurrentJobId).HasColumnName("current_job_id");
        b.HasOne<AutomationJob>().WithMany().HasForeignKey(x => x.CurrentJobId).OnDelete(DeleteBehavior.SetNull);
        b.Property(x => x.LastHeartbeat).HasColumnName("last_heartbeat").HasDefaultValueSql("now()");
        b.Property(x => x.StartedAt).HasColumnName("started_at").HasDefaultValueSql("now()");
        b.Property(x => x.Metadata).HasColumnName("metadata").HasColumnType("jsonb");
        b.HasIndex(x => x.Status).HasDatabaseName("idx_workers_status");
        b.HasIndex(x => x.BrowserTypeId).HasDatabaseName("idx_workers_browser_type");
    }
}
