namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A message for outbox tests (message types need a namespace).</summary>
public sealed record OutboxProbe(Guid Id, string Text, Guid? JobId = null);

/// <summary>Published by <see cref="ProbeConsumer"/> through the consumer outbox.</summary>
public sealed record ProbeHandled(Guid Id);
