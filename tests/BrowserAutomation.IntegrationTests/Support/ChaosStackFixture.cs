namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A stack of its own for the chaos test, which kills its worker and cuts its broker link.</summary>
public sealed class ChaosStackFixture : StackFixture;

[CollectionDefinition(Name)]
public sealed class ChaosStackDefinition : ICollectionFixture<ChaosStackFixture>
{
    public const string Name = "chaos stack";
}
