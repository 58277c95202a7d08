namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>
/// The stack with ARTIFACT_STORAGE_TYPE=s3 on the local s3rver, in a bucket of its own, reached through a proxy the
/// tests can cut (<see cref="S3Link"/>).
/// </summary>
public sealed class S3StoreStackFixture : ArtifactStoreStackFixture, IAsyncLifetime
{
    public TcpProxy S3Link { get; } = new(S3TestServer.Port);

    public string Bucket { get; private set; } = string.Empty;

    public override string StoreType => "s3";

    protected override IReadOnlyDictionary<string, string> StoreSettings => new Dictionary<string, string>
    {
        ["S3_ENDPOINT"] = $"http://127.0.0.1:{S3Link.Port}",
        ["S3_BUCKET"] = Bucket,
        ["S3_ACCESS_KEY_ID"] = S3TestServer.AccessKey,
        ["S3_SECRET_ACCESS_KEY"] = S3TestServer.SecretKey,
        ["S3_FORCE_PATH_STYLE"] = "true",
        // A store outage fails attempts as storage_unavailable; quick retries keep the outage test short.
        ["JOB_RETRY_MAX_DELAY_MS"] = "1000",
    };

    public override Task<IReadOnlyList<string>> ObjectsOfJobAsync(Guid jobId) => S3TestServer.KeysAsync(Bucket, $"jobs/{jobId:N}/");

    async Task IAsyncLifetime.InitializeAsync()
    {
        Bucket = await S3TestServer.CreateBucketAsync();
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await S3Link.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class S3StoreStackDefinition : ICollectionFixture<S3StoreStackFixture>
{
    public const string Name = "s3 store stack";
}
