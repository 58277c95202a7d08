using BrowserAutomation.Persistence.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BrowserAutomation.Persistence.Mappings;

internal sealed class InboxStateMap : IEntityTypeConfiguration<InboxState>
{
    public void Configure(EntityTypeBuilder<InboxState> b)
    {
        b.ToTable("inbox_states");
        b.HasKey(x => new { x.MessageId, x.ConsumerId });
        b.Property(x => x.MessageId).HasColumnName("message_id");
        b.Property(x => x.ConsumerId).HasColumnName("consumer_id");
        b.Property(x => x.Received).HasColumnName("received");
        b.Property(x => x.ReceiveCount).HasColumnName("receive_count");
        b.Property(x => x.Consumed).HasColumnName("consumed");
        b.HasIndex(x => x.Received).HasDatabaseName("idx_inbox_received");
    }
}
