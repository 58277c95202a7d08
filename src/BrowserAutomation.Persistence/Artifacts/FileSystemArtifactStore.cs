using System.Runtime.CompilerServices;
using BrowserAutomation.Persistence.Entities;

namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>
/// Bytes as files under ARTIFACT_STORAGE_PATH (a volume the API and every worker mount). A write goes to a temporary
/// file that is renamed into place, so a reader never sees half an artifact.
/// </summary>
public sealed class FileSystemArtifactStore(string root) : IArtifactStore
{
    private const string TemporarySuffix = ".partial";

    private readonly string _root = Path.GetFullPath(root);

    public string Type => ArtifactStorageTypes.FileSystem;

    public bool IsExternal => true;

    public async Task PutAsync(string key, ReadOnlyMemory<byte> data, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(data, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public Task<Stream> OpenReadAsync(JobArtifact artifact, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(PathOf(artifact.StorageKey!), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920,
            FileOptions.Asynchronous | FileOptions.SequentialScan));

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        File.Delete(path);
        var folder = Path.GetDirectoryName(path)!;
        try
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
        catch (IOException)
        {
            // A worker wrote into the folder meanwhile: it stays.
        }

        return Task.CompletedTask;
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_root);
        var probe = Path.Combine(_root, $".ready-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(probe, [1], cancellationToken);
        File.Delete(probe);
    }

    public async IAsyncEnumerable<string> ListOlderThanAsync(DateTime olderThan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        var jobs = Path.Combine(_root, "jobs");
        if (!Directory.Exists(jobs))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(jobs, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (File.GetLastWriteTimeUtc(file) >= olderThan)
            {
                continue;
            }

            if (file.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            {
                // A crashed write's leftover: no row can name it.
                File.Delete(file);
                continue;
            }

            yield return Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
        }
    }

    public Uri? PresignDownload(JobArtifact artifact, TimeSpan lifetime) => null;

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Artifact key '{key}' leaves the store's folder.", nameof(key));
        }

        return path;
    }
}
