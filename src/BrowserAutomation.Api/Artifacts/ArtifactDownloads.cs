using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Artifacts;
using BrowserAutomation.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BrowserAutomation.Api.Artifacts;

/// <summary>
/// Serves an artifact from whichever store holds it as a stream: Range (206/416), ETag and If-None-Match (304) are
/// ASP.NET Core's own file-result handling over the store's seekable, lazily reading stream. With the s3 store and
/// ARTIFACT_DOWNLOAD_REDIRECT the answer is a 302 to a short-lived pre-signed URL instead.
/// </summary>
public sealed class ArtifactDownloads(ArtifactStores stores, IOptions<ArtifactStorageOptions> options)
{
    /// <summary>The row's metadata (never its bytes).</summary>
    public static Task<JobArtifact?> FindAsync(IQueryable<JobArtifact> query, CancellationToken cancellationToken) =>
        query.OrderBy(a => a.CreatedAt)
            .Select(a => new JobArtifact
            {
                Id = a.Id, JobId = a.JobId, ArtifactType = a.ArtifactType, FileName = a.FileName, MimeType = a.MimeType,
                SizeBytes = a.SizeBytes, StepIndex = a.StepIndex, CreatedAt = a.CreatedAt, StorageType = a.StorageType,
                StorageKey = a.StorageKey, Sha256 = a.Sha256,
            })
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Opens the artifact of <paramref name="artifactId"/> (the action endpoints' synchronous answer).</summary>
    public async Task<FileStreamHttpResult?> OpenAsync(AutomationDbContext db, Guid artifactId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(db.Artifacts.Where(a => a.Id == artifactId), cancellationToken);
        return found is null || stores.For(found) is not { } store ? null : await StreamAsync(store, found, cancellationToken);
    }

    public async Task<Results<FileStreamHttpResult, RedirectHttpResult, ProblemHttpResult>> ServeAsync(JobArtifact found, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (stores.For(found) is not { } store)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Artifact store not configured",
                detail: $"Artifact {found.Id} is in the {found.StorageType} store, which this deployment does not use (ARTIFACT_STORAGE_TYPE).");
        }

        http.Response.Headers.ContentDisposition = $"inline; filename=\"{found.FileName}\"";
        if (options.Value.DownloadRedirect
            && store.PresignDownload(found, TimeSpan.FromSeconds(options.Value.PresignTtlSeconds)) is { } url)
        {
            ArtifactMetrics.Operation(store.Type, "presign", ok: true);
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Redirect(url.AbsoluteUri);
        }

        return await StreamAsync(store, found, cancellationToken);
    }

    private static async Task<FileStreamHttpResult> StreamAsync(IArtifactStore store, JobArtifact found, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await store.OpenReadAsync(found, cancellationToken);
            ArtifactMetrics.Operation(store.Type, "read", ok: true);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            ArtifactMetrics.Operation(store.Type, "read", ok: false);
            throw;
        }

        // Artifacts never change once written: the SHA-256 (or, on older rows, the id) is a strong validator.
        var tag = new EntityTagHeaderValue($"\"{found.Sha256 ?? found.Id.ToString("N")}\"");
        return TypedResults.Stream(stream, found.MimeType, lastModified: DateTime.SpecifyKind(found.CreatedAt, DateTimeKind.Utc), entityTag: tag,
            enableRangeProcessing: true);
    }
}
