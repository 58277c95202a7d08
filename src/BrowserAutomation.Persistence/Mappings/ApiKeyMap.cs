using BrowserAutomation.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BrowserAutomation.Persistence.Mappings;

internal sealed class ApiKeyMap : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        b.Property(x => x.Name).HasColumnName("name").HasMaxLength(100).IsRequired();
        b.Property(x => x.Owner).HasColumnName("owner").HasMaxLength(100).IsRequired();
        b.Property(x => x.KeyHash).HasColumnName("key_hash").HasMaxLength(64).IsRequired();
        b.Property(x => x.Prefix).HasColumnName("prefix").HasMaxLength(16).IsRequired();
        b.Property(x => x.Scopes).HasColumnName("scopes").HasColumnType("text[]").IsRequired();
        b.Property(x => x.RateLimitMax).HasColumnName("rate_limit_max");
        b.Property(x => x.RateLimitWindowMs).HasColumnName("rate_limit_window_ms");
        b.Property(x => x.MaxConcurrentJobs).HasColumnName("max_concurrent_jobs");
        b.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        b.Property(x => x.LastUsedAt).HasColumnName("last_used_at");
        b.Property(x => x.RevokedAt).HasColumnName("revoked_at");
        b.HasIndex(x => x.KeyHash).IsUnique().HasDatabaseName("ux_api_keys_key_hash");
        b.HasIndex(x => new { x.Owner, x.CreatedAt }).HasDatabaseName("idx_api_keys_owner_created");
    }
}
