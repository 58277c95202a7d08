using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BrowserAutomation.Persistence.Webhooks;

internal sealed class WebhookDeliveryMap : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("webhook_deliveries", t => t.HasCheckConstraint("webhook_status_known", "status IN ('pending', 'delivered', 'dead')"));
        b.HasKey(x => x.Id);
        b.Ignore(x => x.WebhookId);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.JobId).HasColumnName("job_id");
        b.Property(x => x.EventType).HasColumnName("event_type").HasMaxLength(30).IsRequired();
        b.Property(x => x.Url).HasColumnName("url").IsRequired();
        b.Property(x => x.SignerId).HasColumnName("signer_id").HasMaxLength(100).IsRequired();
        b.Property(x => x.Body).HasColumnName("body").IsRequired();
        b.Property(x => x.Status).HasColumnName("status").HasMaxLength(20).IsRequired();
        b.Property(x => x.Attempts).HasColumnName("attempts");
        b.Property(x => x.NextAttemptAt).HasColumnName("next_attempt_at");
        b.Property(x => x.LastStatusCode).HasColumnName("last_status_code");
        b.Property(x => x.LastError).HasColumnName("last_error");
        b.Property(x => x.CreatedAt).HasColumnName("created_at");
        b.Property(x => x.QueuedAt).HasColumnName("queued_at");
        b.Property(x => x.LastAttemptAt).HasColumnName("last_attempt_at");
        b.Property(x => x.DeliveredAt).HasColumnName("delivered_at");
        b.HasOne<Jobs.AutomationJob>().WithMany().HasForeignKey(x => x.JobId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.JobId).HasDatabaseName("idx_webhook_deliveries_job");
        // The dispatcher's claim: due pending rows only.
        b.HasIndex(x => x.NextAttemptAt).HasDatabaseName("idx_webhook_deliveries_due").HasFilter("status = 'pending'");
    }
}
