using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// A message waiting to be sent to the broker (table outbox_messages). Rows are written in the same
/// transaction as the state change that produced them and deleted by the dispatcher once sent.
/// </summary>
public sealed class OutboxMessage : OutboxMessageContext
{
    private Headers? _headers;
    private IReadOnlyDictionary<string, object>? _properties;

    public long SequenceNumber { get; set; }

    public Guid MessageId { get; set; }

    /// <summary>Not before this time (UTC); null means now. Delays and retries live here.</summary>
    public DateTime? DeliverAfter { get; set; }

    /// <summary>
    /// Until when the process that committed the row sends it itself (its dispatcher was handed the row at commit);
    /// other dispatchers claim it only after that, e.g. when that process died before sending it.
    /// </summary>
    public DateTime? LockedUntil { get; set; }

    /// <summary>
    /// The application name (<c>ba-dispatching:host:pid</c>) of the process the row is leased to: once no session of
    /// that process is left in PostgreSQL (it died), other dispatchers take the row over without waiting for the lease.
    /// </summary>
    public string? LockedBy { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }

    public required string ContentType { get; set; }

    public required string MessageType { get; set; }

    public required string Body { get; set; }

    /// <summary>Message headers as a JSON object.</summary>
    public string? Headers { get; set; }

    /// <summary>Transport properties as a JSON object (RMQ-RoutingKey, RMQ-Priority ...).</summary>
    public string? Properties { get; set; }

    public Guid? ConversationId { get; set; }

    public Guid? CorrelationId { get; set; }

    public Guid? InitiatorId { get; set; }

    public Guid? RequestId { get; set; }

    public Uri? SourceAddress { get; set; }

    public Uri? DestinationAddress { get; set; }

    public Uri? ResponseAddress { get; set; }

    public Uri? FaultAddress { get; set; }

    public DateTime SentTime { get; set; }

    public DateTime? ExpirationTime { get; set; }

    /// <summary>W3C traceparent of the span that wrote the row; the dispatcher sends the message as its child.</summary>
    public string? TraceParent { get; set; }

    /// <summary>W3C tracestate that travels with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; set; }

    Guid? MessageContext.MessageId => MessageId;

    DateTime? MessageContext.SentTime => SentTime;

    Headers MessageContext.Headers => _headers ?? EmptyHeaders.Instance;

    HostInfo MessageContext.Host => HostMetadataCache.Host;

    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties => _properties ?? EmptyProperties;

    private static readonly IReadOnlyDictionary<string, object> EmptyProperties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Restores headers and properties before sending; the delay is dropped because it was already honoured.</summary>
    internal void PrepareForSend()
    {
        var serializer = SystemTextJsonMessageSerializer.Instance;

        var headers = serializer.DeserializeDictionary<object?>(Headers);
        _headers = headers is null ? EmptyHeaders.Instance : new DictionarySendHeaders(headers);

        var properties = serializer.DeserializeDictionary<object>(Properties);
        if (properties is not null)
        {
            foreach (var key in properties.Keys.Where(k => k.Contains("Delay", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                properties.Remove(key);
            }
        }

        _properties = properties ?? EmptyProperties;
    }
}
