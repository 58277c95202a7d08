using BrowserAutomation.Persistence.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BrowserAutomation.Persistence.Mappings;

internal sealed class OutboxMessageMap : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox_messages");
        b.HasKey(x => x.SequenceNumber);
        b.Property(x => x.SequenceNumber).HasColumnName("sequence_number").UseIdentityByDefaultColumn();
        b.Property(x => x.MessageId).HasColumnName("message_id");
        b.Property(x => x.DeliverAfter).HasColumnName("deliver_after");
        b.Property(x => x.LockedUntil).HasColumnName("locked_until");
        b.Property(x => x.LockedBy).HasColumnName("locked_by").HasMaxLength(128);
        b.Property(x => x.Attempts).HasColumnName("attempts").HasDefaultValue(0).ValueGeneratedNever();
        b.Property(x => x.LastError).HasColumnName("last_error");
        b.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        b.Property(x => x.ContentType).HasColumnName("content_type").HasMaxLength(256);
        b.Property(x => x.MessageType).HasColumnName("message_type");
        b.Property(x => x.Body).HasColumnName("body");
        b.Property(x => x.Headers).HasColumnName("headers");
        b.Property(x => x.Properties).HasColumnName("properties");
        b.Property(x => x.ConversationId).HasColumnName("conversation_id");
        b.Property(x => x.CorrelationId).HasColumnName("correlation_id");
        b.Property(x => x.InitiatorId).HasColumnName("initiator_id");
        b.Property(x => x.RequestId).HasColumnName("request_id");
        b.Property(x => x.SourceAddress).HasColumnName("source_address").HasMaxLength(256);
        b.Property(x => x.DestinationAddress).HasColumnName("destination_address").HasMaxLength(256);
        b.Property(x => x.ResponseAddress).HasColumnName("response_address").HasMaxLength(256);
        b.Property(x => x.FaultAddress).HasColumnName("fault_address").HasMaxLength(256);
        b.Property(x => x.SentTime).HasColumnName("sent_time");
        b.Property(x => x.ExpirationTime).HasColumnName("expiration_time");
        b.Property(x => x.TraceParent).HasColumnName("trace_parent").HasMaxLength(55);
        b.Property(x => x.TraceState).HasColumnName("trace_state").HasMaxLength(512);
        b.HasIndex(x => new { x.DeliverAfter, x.SequenceNumber }).HasDatabaseName("idx_outbox_deliver_after");
    }
}
