using System.Collections.Concurrent;
using MassTransit;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>What a test consumer received, with the transport details tests assert on.</summary>
public sealed record Received<T>(T Message, Guid? MessageId, DateTime At, string? RoutingKey, byte? Priority);

/// <summary>A singleton the test consumers record into.</summary>
public sealed class MessageCollector<T>
    where T : class
{
    private readonly ConcurrentQueue<Received<T>> _received = new();

    public IReadOnlyList<Received<T>> All => _received.ToList();

    public void Add(ConsumeContext<T> context)
    {
        var rabbit = context.ReceiveContext.TryGetPayload(out RabbitMqBasicConsumeContext? basic) ? basic : null;
        _received.Enqueue(new Received<T>(context.Message, context.MessageId, DateTime.UtcNow, rabbit?.RoutingKey,
            rabbit?.Properties.Priority));
    }

    public Task WaitForAsync(Func<T, bool> match, string what, int seconds = 20) =>
        Wait.UntilAsync(() => _received.Any(r => match(r.Message)), TimeSpan.FromSeconds(seconds), what);
}
