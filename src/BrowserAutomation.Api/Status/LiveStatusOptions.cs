using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Api.Status;

/// <summary>Live status streams (section "LiveStatus"): how long transitions stay replayable, and WebSocket keepalive.</summary>
public sealed class LiveStatusOptions
{
    public const string SectionName = "LiveStatus";

    /// <summary>
    /// How long a transition stays in job_events, replayable by Last-Event-ID / lastEventId (JOB_EVENTS_RETENTION_HOURS).
    /// A client that resumes from further back gets only what is left.
    /// </summary>
    [Range(1, 8760)]
    public int EventRetentionHours { get; set; } = 24;

    /// <summary>WebSocket ping interval in seconds; a client that answers no ping for twice as long is dropped (WS_KEEPALIVE_SECONDS).</summary>
    [Range(1, 300)]
    public int WebSocketKeepAliveSeconds { get; set; } = 15;

    /// <summary>How long a WebSocket opened without a key header may take to send its auth message, in seconds (WS_AUTH_TIMEOUT_SECONDS).</summary>
    [Range(1, 120)]
    public int WebSocketAuthTimeoutSeconds { get; set; } = 10;
}
