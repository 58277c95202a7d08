using System.Security.Cryptography;
using BrowserAutomation.Persistence.Entities;
using Microsoft.Extensions.Logging;

namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>
/// The worker's side of the store: puts an attempt's artifacts into the configured store before the attempt's outcome
/// is recorded (so a completed job never names a missing object), and removes them again when the outcome is discarded.
/// </summary>
public sealed class ArtifactWriter(ArtifactStores stores, ILogger<ArtifactWriter> logger)
{
    /// <summary>
    /// Completes the rows (store type, key, SHA-256) and, for a filesystem or s3 store, writes their bytes there and
    /// drops them from the rows. A store failure deletes what this call wrote and throws <see cref="ArtifactStoreUnavailableException"/>.
    /// </summary>
    public async Task StoreAsync(IReadOnlyList<JobArtifact> rows, CancellationToken cancellationToken)
    {
        var store = stores.Current;
        var written = new List<JobArtifact>(rows.Count);
        foreach (var row in rows)
        {
            var data = row.FileData ?? [];
            row.Sha256 = Convert.ToHexStringLower(SHA256.HashData(data));
            row.StorageType = store.Type;
            if (!store.IsExternal)
            {
                continue;
            }

            row.StorageKey = ArtifactKeys.For(row.JobId, row.Id);
            try
            {
                await store.PutAsync(row.StorageKey, data, row.MimeType, cancellationToken);
                ArtifactMetrics.Operation(store.Type, "put", ok: true);
                ArtifactMetrics.Written(store.Type, data.Length);
                written.Add(row);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ArtifactMetrics.Operation(store.Type, "put", ok: false);
                await DeleteAsync(written, CancellationToken.None);
                throw new ArtifactStoreUnavailableException(
                    $"The {store.Type} artifact store could not take {row.FileName}: {ex.GetType().Name}: {ex.Message}", ex);
            }

            row.FileData = null;
        }
    }

    /// <summary>Deletes the objects of rows that will not be recorded (a discarded attempt); failures are left to the orphan sweep.</summary>
    public async Task DeleteAsync(IEnumerable<JobArtifact> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            if (row.StorageKey is null || stores.For(row) is not { IsExternal: true } store)
            {
                continue;
            }

            try
            {
                await store.DeleteAsync(row.StorageKey, cancellationToken);
                ArtifactMetrics.Operation(store.Type, "delete", ok: true);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ArtifactMetrics.Operation(store.Type, "delete", ok: false);
                logger.LogWarning("Job {JobId}: artifact {Key} could not be deleted ({Error}); the orphan sweep will remove it",
                    row.JobId, row.StorageKey, ex.Message);
            }
        }
    }
}
