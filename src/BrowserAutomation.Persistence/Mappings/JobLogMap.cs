using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BrowserAutomation.Persistence.Mappings;

internal sealed class JobLogMap : IEntityTypeConfiguration<JobLog>
{
    public void Configure(EntityTypeBuilder<JobLog> b)
    {
        b.ToTable("job_logs");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        b.Property(x => x.JobId).HasColumnName("job_id");
        b.HasOne<AutomationJob>().WithMany().HasForeignKey(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Level).HasColumnName("level").HasMaxLength(20);
        b.Property(x => x.Message).HasColumnName("message").IsRequired();
        b.Property(x => x.Metadata).HasColumnName("metadata").HasColumnType("jsonb");
        b.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        b.HasIndex(x => x.JobId).HasDatabaseName("idx_logs_job_id");
        b.HasIndex(x => x.CreatedAt).HasDatabaseName("idx_logs_created_at");
    }
}
