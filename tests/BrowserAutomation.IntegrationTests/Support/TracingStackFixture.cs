using BrowserAutomation.IntegrationTests.Support.Otlp;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>The stack with both processes exporting their spans over OTLP/HTTP to a receiver of the test's own.</summary>
public sealed class TracingStackFixture : StackFixture, IDisposable
{
    public OtlpReceiver Receiver { get; } = new();

    protected override IReadOnlyDictionary<string, string> StackSettings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.Endpoint.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        // Batches leave every 200 ms instead of every 5 s.
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    };

    public void Dispose() => Receiver.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TracingStackDefinition : ICollectionFixture<TracingStackFixture>
{
    public const string Name = "tracing stack";
}
