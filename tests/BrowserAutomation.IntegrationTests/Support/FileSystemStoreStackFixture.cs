namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>The stack with ARTIFACT_STORAGE_TYPE=filesystem under a temporary folder of its own.</summary>
public sealed class FileSystemStoreStackFixture : ArtifactStoreStackFixture, IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("ba-artifacts-").FullName;

    public override string StoreType => "filesystem";

    protected override IReadOnlyDictionary<string, string> StoreSettings => new Dictionary<string, string> { ["ARTIFACT_STORAGE_PATH"] = Root };

    public override Task<IReadOnlyList<string>> ObjectsOfJobAsync(Guid jobId)
    {
        var folder = Path.Combine(Root, "jobs", jobId.ToString("N"));
        IReadOnlyList<string> files = Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
        return Task.FromResult(files);
    }

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class FileSystemStoreStackDefinition : ICollectionFixture<FileSystemStoreStackFixture>
{
    public const string Name = "filesystem store stack";
}
