namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A stack of its own for the drain tests, which stop and restart its worker.</summary>
public sealed class DrainStackFixture : StackFixture;

[CollectionDefinition(Name)]
public sealed class DrainStackDefinition : ICollectionFixture<DrainStackFixture>
{
    public const string Name = "drain stack";
}
