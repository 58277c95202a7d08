using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BrowserAutomation.Persistence.Webhooks;

internal sealed class WebhookKeyMap : IEntityTypeConfiguration<WebhookKey>
{
    public void Configure(EntityTypeBuilder<WebhookKey> b)
    {
        b.ToTable("webhook_keys");
        b.HasKey(x => x.SignerId);
        b.Property(x => x.SignerId).HasColumnName("signer_id").HasMaxLength(100);
        b.Property(x => x.Secret).HasColumnName("secret");
        b.Property(x => x.DefaultUrl).HasColumnName("default_url");
        b.Property(x => x.DefaultEvents).HasColumnName("default_events").HasColumnType("text[]");
        b.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        b.Property(x => x.SecretRotatedAt).HasColumnName("secret_rotated_at");
    }
}
