namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>The stack without a worker: the API admits jobs by configuration and a test starts the worker later.</summary>
public sealed class WorkerlessStackFixture : StackFixture
{
    protected override bool StartsWorker => false;
}

[CollectionDefinition(Name)]
public sealed class WorkerlessStackDefinition : ICollectionFixture<WorkerlessStackFixture>
{
    public const string Name = "workerless stack";
}
