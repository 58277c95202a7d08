using System.Runtime.CompilerServices;
using BrowserAutomation.Persistence.Entities;
using Npgsql;

namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>
/// Bytes in job_artifacts.file_data (the default). Reads fetch 256 KiB at a time with substring(), each on a pooled
/// connection of its own, so a slow client holds neither a connection nor the artifact.
/// </summary>
public sealed class DatabaseArtifactStore(ArtifactDataSource dataSource) : IArtifactStore
{
    private const int ChunkSize = 256 * 1024;

    public string Type => ArtifactStorageTypes.Database;

    public bool IsExternal => false;

    public Task PutAsync(string key, ReadOnlyMemory<byte> data, string contentType, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<Stream> OpenReadAsync(JobArtifact artifact, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new ChunkedReadStream(artifact.SizeBytes, ChunkSize, (offset, count, ct) => ReadChunkAsync(artifact.Id, offset, count, ct)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async IAsyncEnumerable<string> ListOlderThanAsync(DateTime olderThan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        yield break;
    }

    public Uri? PresignDownload(JobArtifact artifact, TimeSpan lifetime) => null;

    private Task<byte[]> ReadChunkAsync(Guid id, long offset, int count, CancellationToken cancellationToken) =>
        BrokenConnectionRetry.RunAsync(dataSource.Source, async ct =>
        {
            await using var command = dataSource.Source.CreateCommand(
                "SELECT substring(file_data FROM @from FOR @count) FROM job_artifacts WHERE id = @id");
            command.Parameters.AddWithValue("from", checked((int)(offset + 1)));
            command.Parameters.AddWithValue("count", count);
            command.Parameters.AddWithValue("id", id);
            return await command.ExecuteScalarAsync(ct) as byte[] ?? [];
        }, cancellationToken);
}
