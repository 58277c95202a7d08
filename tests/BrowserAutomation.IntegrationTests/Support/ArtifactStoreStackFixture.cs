namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>The stack with an artifact store chosen by the derived fixture and a retention run every second.</summary>
public abstract class ArtifactStoreStackFixture : StackFixture
{
    public abstract string StoreType { get; }

    protected abstract IReadOnlyDictionary<string, string> StoreSettings { get; }

    protected override IReadOnlyDictionary<string, string> StackSettings => new Dictionary<string, string>(StoreSettings)
    {
        ["ARTIFACT_STORAGE_TYPE"] = StoreType,
        ["RETENTION_INTERVAL_MS"] = "1000",
        ["JOB_CLEANUP_AFTER_DAYS"] = "30",
    };

    /// <summary>What the store holds for a job (object keys; for the database store, one entry per row with bytes).</summary>
    public abstract Task<IReadOnlyList<string>> ObjectsOfJobAsync(Guid jobId);
}
