namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// Wakes the outbox dispatcher the moment a transaction that wrote outbox rows commits
/// (in-process), or when PostgreSQL delivers a NOTIFY from another process.
/// </summary>
public sealed class OutboxSignal : WakeSignal;
