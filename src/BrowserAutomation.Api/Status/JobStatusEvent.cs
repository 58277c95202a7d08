namespace BrowserAutomation.Api.Status;

/// <summary>
/// One status event on a live stream. <see cref="EventId"/> is the resume position (the SSE <c>id:</c>, the value for
/// Last-Event-ID or lastEventId); 0 for a job's opening status before its first transition.
/// </summary>
public sealed record JobStatusEvent(Guid JobId, string Status, string? PreviousStatus, int Version, int Attempt, DateTime ChangedAt, long EventId);
