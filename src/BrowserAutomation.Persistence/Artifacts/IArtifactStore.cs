using BrowserAutomation.Persistence.Entities;

namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>
/// Where artifact bytes live. The worker puts them before it records the attempt's outcome; the API opens them as a
/// seekable stream that reads lazily (never the whole artifact in memory), deletes them with their job, and sweeps
/// objects no row names.
/// </summary>
public interface IArtifactStore
{
    /// <summary>The ARTIFACT_STORAGE_TYPE value this store implements.</summary>
    string Type { get; }

    /// <summary>False for the database store, whose bytes travel inside the job_artifacts row.</summary>
    bool IsExternal { get; }

    Task PutAsync(string key, ReadOnlyMemory<byte> data, string contentType, CancellationToken cancellationToken);

    /// <summary>A seekable, read-only stream of <see cref="JobArtifact.SizeBytes"/> bytes that fetches as it is read.</summary>
    Task<Stream> OpenReadAsync(JobArtifact artifact, CancellationToken cancellationToken);

    /// <summary>Deletes an object; a missing one is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be reached or written (readiness).</summary>
    Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>Keys of objects last written before <paramref name="olderThan"/> (the orphan sweep).</summary>
    IAsyncEnumerable<string> ListOlderThanAsync(DateTime olderThan, CancellationToken cancellationToken);

    /// <summary>A URL that downloads the object without the API, valid for <paramref name="lifetime"/>; null when unsupported.</summary>
    Uri? PresignDownload(JobArtifact artifact, TimeSpan lifetime);
}
