using BrowserAutomation.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BrowserAutomation.Persistence.Mappings;

internal sealed class BrowserTypeMap : IEntityTypeConfiguration<BrowserType>
{
    private static readonly DateTime Created = new(2026, 11, 29, 0, 0, 0, DateTimeKind.Utc);

    public void Configure(EntityTypeBuilder<BrowserType> b)
    {
        b.ToTable("browser_types");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        b.Property(x => x.Name).HasColumnName("name").HasMaxLength(50).IsRequired();
        b.HasIndex(x => x.Name).IsUnique();
        b.Property(x => x.Type).HasColumnName("type").HasMaxLength(20).IsRequired();
        b.Property(x => x.DeviceType).HasColumnName("device_type").HasMaxLength(20).HasDefaultValue("desktop").ValueGeneratedNever();
        b.Property(x => x.DeviceDescriptor).HasColumnName("device_descriptor").HasMaxLength(100);
        b.Property(x => x.UserAgent).HasColumnName("user_agent");
        b.Property(x => x.ViewportWidth).HasColumnName("viewport_width");
        b.Property(x => x.ViewportHeight).HasColumnName("viewport_height");
        b.Property(x => x.IsActive).HasColumnName("is_active").HasDefaultValue(true).ValueGeneratedNever();
        b.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        b.Property(x => x.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");
        b.ToTable(t => t.HasCheckConstraint("ck_browser_types_type", "type IN ('chromium', 'firefox', 'webkit', 'simulated')"));

        b.HasData(
            new BrowserType { Id = 1, Name = "Chromium", Type = "chromium", DeviceType = "desktop", ViewportWidth = 1920, ViewportHeight = 1080, CreatedAt = Created, UpdatedAt = Created },
            new BrowserType { Id = 2, Name = "Firefox", Type = "firefox", DeviceType = "desktop", ViewportWidth = 1920, ViewportHeight = 1080, CreatedAt = Created, UpdatedAt = Created },
            new BrowserType { Id = 3, Name = "WebKit", Type = "webkit", DeviceType = "desktop", ViewportWidth = 1920, ViewportHeight = 1080, CreatedAt = Created, UpdatedAt = Created },
            new BrowserType { Id = 4, Name = "Mobile Chrome", Type = "chromium", DeviceType = "mobile", DeviceDescriptor = "Pixel 7", ViewportWidth = 375, ViewportHeight = 667, CreatedAt = Created, UpdatedAt = Created },
            new BrowserType { Id = 5, Name = "Mobile Firefox", Type = "firefox", DeviceType = "mobile", ViewportWidth = 375, ViewportHeight = 667, CreatedAt = Created, UpdatedAt = Created },
            new BrowserType { Id = 6, Name = "Mobile Safari", Type = "webkit", DeviceType = "mobile", DeviceDescriptor = "iPhone 13", ViewportWidth = 390, ViewportHeight = 844, CreatedAt = Created, UpdatedAt = Created });
    }
}
