using System.Diagnostics;
using BrowserAutomation.Hosting.Observability;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>Turns a fully built transport send context (exchange, routing key, priority, headers) into an outbox row.</summary>
internal static class OutboxMessageFactory
{
    public static OutboxMessage Create<T>(SendContext<T> context)
        where T : class
    {
        var messageId = context.MessageId ?? throw new MessageException(typeof(T), "The SendContext MessageId must be present");
        var now = DateTime.UtcNow;
        var serializer = SystemTextJsonMessageSerializer.Instance;

        var message = new OutboxMessage
        {
            MessageId = messageId,
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress,
            DestinationAddress = context.DestinationAddress,
            ResponseAddress = context.ResponseAddress,
            FaultAddress = context.FaultAddress,
            SentTime = context.SentTime ?? now,
            CreatedAt = now,
            ContentType = context.ContentType?.ToString() ?? context.Serialization.DefaultContentType.ToString(),
            MessageType = string.Join(";", context.SupportedMessageTypes),
            Body = context.Serializer.GetMessageBody(context).GetString(),
            Headers = serializer.SerializeDictionary(context.Headers.GetAll()),
            // The broker here has no delayed-exchange plugin: a delay becomes a time the dispatcher waits for.
            DeliverAfter = context.Delay is { } delay && delay > TimeSpan.Zero ? now + delay : null,
            // The transaction's own trace (inside MassTransit's "outbox send" span when it records), continued at dispatch.
            TraceParent = AutomationSpans.CurrentTraceParent(),
            TraceState = Activity.Current?.TraceStateString,
        };

        if (context.TimeToLive.HasValue)
        {
            message.ExpirationTime = now + context.TimeToLive.Value;
        }

        if (context is TransportSendContext<T> transportContext)
        {
            var properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transportContext.WritePropertiesTo(properties);
            message.Properties = serializer.SerializeDictionary(properties);
        }

        return message;
    }
}
