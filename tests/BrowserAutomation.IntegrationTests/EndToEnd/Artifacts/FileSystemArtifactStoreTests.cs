using BrowserAutomation.IntegrationTests.Support;

namespace BrowserAutomation.IntegrationTests.EndToEnd.Artifacts;

/// <summary>ARTIFACT_STORAGE_TYPE=filesystem: files under ARTIFACT_STORAGE_PATH, shared by the API and the worker.</summary>
[Collection(FileSystemStoreStackDefinition.Name)]
public sealed class FileSystemArtifactStoreTests(FileSystemStoreStackFixture stack)
{
    [Fact]
    public Task Downloads_stream_with_range_and_etag_and_retention_deletes_old_jobs() =>
        ArtifactStoreScenarios.Downloads_stream_with_range_and_etag_and_retention_deletes_old_jobs(stack);

    [Fact]
    public Task A_discarded_late_attempt_leaves_no_file_behind() => ArtifactStoreScenarios.A_discarded_late_attempt_leaves_no_object_behind(stack);
}
