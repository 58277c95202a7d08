using BrowserAutomation.IntegrationTests.Support;
using BrowserAutomation.Persistence.Artifacts;
using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.IntegrationTests.Persistence.Artifacts;

/// <summary>
/// The artifact store's own pool keeps connections idle between downloads; one that broke meanwhile (PostgreSQL
/// restarted, the network dropped it) is found out only on use. A download must not fail for that.
/// </summary>
public sealed class BrokenConnectionTests
{
    [Fact]
    public async Task A_download_after_the_pooled_connection_broke_reads_on_a_fresh_one()
    {
        await using var database = await TestDatabase.CreateAsync();
        var jobId = await database.InsertPendingJobAsync();
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251)).ToArray();
        var artifactId = await database.ScalarAsync<Guid>(
            "INSERT INTO job_artifacts (job_id, artifact_type, file_name, file_data, storage_type, mime_type, size_bytes) "
            + "VALUES (@p0, 'screenshot', 'a.png', @p1, 'database', 'image/png', @p2) RETURNING id", jobId, bytes, (long)bytes.Length);
        await using var link = new TcpProxy(TestSettings.DbPort);
        var options = new DatabaseOptions
        {
            Host = "127.0.0.1", Port = link.Port, Username = TestSettings.DbUser, Password = TestSettings.DbPassword, Database = database.Name,
        };
        using var source = new ArtifactDataSource(Options.Create(options));
        var store = new DatabaseArtifactStore(source);
        var artifact = new JobArtifact { Id = artifactId, JobId = jobId, ArtifactType = "screenshot", FileName = "a.png", MimeType = "image/png", SizeBytes = bytes.Length };

        Assert.Equal(bytes, await ReadAllAsync(store, artifact));
        // Every open connection is cut, then the address works again: the pool still holds the dead ones.
        link.Disable();
        link.Enable();

        Assert.Equal(bytes, await ReadAllAsync(store, artifact));
    }

    private static async Task<byte[]> ReadAllAsync(DatabaseArtifactStore store, JobArtifact artifact)
    {
        await using var stream = await store.OpenReadAsync(artifact, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
