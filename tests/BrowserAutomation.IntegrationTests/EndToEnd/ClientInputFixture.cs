using BrowserAutomation.IntegrationTests.Support;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// A stack whose lookup cache keeps entries for ten minutes: a change seen by another API copy within seconds can only
/// have travelled by NOTIFY, not by the entries ageing out.
/// </summary>
public sealed class ClientInputFixture : StackFixture
{
    protected override IReadOnlyDictionary<string, string> StackSettings { get; } = new Dictionary<string, string>
    {
        ["LOOKUP_CACHE_MAX_AGE_MS"] = "600000",
    };
}

[CollectionDefinition(Name)]
public sealed class ClientInputDefinition : ICollectionFixture<ClientInputFixture>
{
    public const string Name = "client-input-stack";
}
