using BrowserAutomation.Persistence.Messaging;

namespace BrowserAutomation.Persistence.Webhooks;

/// <summary>Wakes this process's webhook dispatcher when a transaction that wrote deliveries commits.</summary>
public sealed class WebhookSignal : WakeSignal;
