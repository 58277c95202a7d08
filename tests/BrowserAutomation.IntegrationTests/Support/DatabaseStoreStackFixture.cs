namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>The stack with ARTIFACT_STORAGE_TYPE=database.</summary>
public sealed class DatabaseStoreStackFixture : ArtifactStoreStackFixture
{
    public override string StoreType => "database";

    protected override IReadOnlyDictionary<string, string> StoreSettings { get; } = new Dictionary<string, string>();

    public override async Task<IReadOnlyList<string>> ObjectsOfJobAsync(Guid jobId)
    {
        var rows = await Database.ScalarAsync<long>("SELECT count(*) FROM job_artifacts WHERE job_id = @p0 AND file_data IS NOT NULL", jobId);
        return [.. Enumerable.Range(0, (int)rows).Select(i => $"row {i}")];
    }
}

[CollectionDefinition(Name)]
public sealed class DatabaseStoreStackDefinition : ICollectionFixture<DatabaseStoreStackFixture>
{
    public const string Name = "database store stack";
}
