using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BrowserAutomation.Persistence.Webhooks;

internal sealed class JobWebhookMap : IEntityTypeConfiguration<JobWebhook>
{
    public void Configure(EntityTypeBuilder<JobWebhook> b)
    {
        b.ToTable("job_webhooks");
        b.HasKey(x => x.JobId);
        b.Property(x => x.JobId).HasColumnName("job_id");
        b.Property(x => x.Url).HasColumnName("url").IsRequired();
        b.Property(x => x.Events).HasColumnName("events").HasColumnType("text[]").IsRequired();
        b.Property(x => x.SignerId).HasColumnName("signer_id").HasMaxLength(100).IsRequired();
        b.HasOne<Jobs.AutomationJob>().WithOne().HasForeignKey<JobWebhook>(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
