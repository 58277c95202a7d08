using BrowserAutomation.IntegrationTests.Support;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>A stack whose API accepts the simulated engine (SIMULATED_ENGINE_ENABLED=true).</summary>
public sealed class SimulatedEngineFixture : StackFixture
{
    protected override IReadOnlyDictionary<string, string> StackSettings { get; } = new Dictionary<string, string>
    {
        ["SIMULATED_ENGINE_ENABLED"] = "true",
    };
}

[CollectionDefinition(Name)]
public sealed class SimulatedEngineDefinition : ICollectionFixture<SimulatedEngineFixture>
{
    public const string Name = "simulated-engine-stack";
}
