namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A stack of its own for the drain tests, which stop and restart its worker.</summary>
public sealed class DrainStackFixture : StackFixture
{
    // A draining worker's last results may be committed after its own dispatcher stopped; the API's fallback poll sends
    // them, as in production (OUTBOX_POLL_INTERVAL_MS defaults to 2 s), not after the suites' minute.
    protected override IReadOnlyDictionary<string, string> StackSettings { get; } = new Dictionary<string, string>
    {
        ["Outbox__PollIntervalMs"] = "1000",
    };
}

[CollectionDefinition(Name)]
public sealed class DrainStackDefinition : ICollectionFixture<DrainStackFixture>
{
    public const string Name = "drain stack";
}
