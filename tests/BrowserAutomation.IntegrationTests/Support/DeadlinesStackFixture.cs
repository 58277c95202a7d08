namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A stack without a worker, of its own (the deadline tests start their worker after the deadlines passed).</summary>
public sealed class DeadlinesStackFixture : StackFixture
{
    protected override bool StartsWorker => false;
}

[CollectionDefinition(Name)]
public sealed class DeadlinesStackDefinition : ICollectionFixture<DeadlinesStackFixture>
{
    public const string Name = "deadlines stack";
}
