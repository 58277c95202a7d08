using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BrowserAutomation.Persistence.Mappings;

internal sealed class JobArtifactMap : IEntityTypeConfiguration<JobArtifact>
{
    public void Configure(EntityTypeBuilder<JobArtifact> b)
    {
        b.ToTable("job_artifacts");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        b.Property(x => x.JobId).HasColumnName("job_id");
        b.HasOne<AutomationJob>().WithMany().HasForeignKey(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.ArtifactType).HasColumnName("artifact_type").HasMaxLength(50).IsRequired();
        b.Property(x => x.FileName).HasColumnName("file_name").HasMaxLength(200).IsRequired();
        b.Property(x => x.FilePath).HasColumnName("file_path");
        b.Property(x => x.FileData).HasColumnName("file_data");
        b.Property(x => x.StorageType).HasColumnName("storage_type").HasMaxLength(20);
        b.Property(x => x.StorageKey).HasColumnName("storage_key").HasMaxLength(300);
        b.Property(x => x.Sha256).HasColumnName("sha256").HasMaxLength(64);
        b.Property(x => x.MimeType).HasColumnName("mime_type").HasMaxLength(100);
        b.Property(x => x.SizeBytes).HasColumnName("size_bytes");
        b.Property(x => x.StepIndex).HasColumnName("step_index");
        b.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        b.HasIndex(x => x.JobId).HasDatabaseName("idx_artifacts_job_id");
        // The orphan sweep asks whether a key is still named by a row.
        b.HasIndex(x => x.StorageKey).HasDatabaseName("idx_artifacts_storage_key").HasFilter("storage_key IS NOT NULL");
    }
}
