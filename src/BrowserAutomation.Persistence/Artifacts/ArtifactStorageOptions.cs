using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>
/// Where artifact bytes live (ARTIFACT_STORAGE_TYPE: database, filesystem or s3) and how the API serves them. The API
/// and every worker must use the same settings: the worker writes, the API reads, deletes and sweeps.
/// </summary>
public sealed class ArtifactStorageOptions : IValidatableObject
{
    public const string SectionName = "Artifacts";

    /// <summary>database (default: bytea in job_artifacts), filesystem (ARTIFACT_STORAGE_PATH) or s3.</summary>
    public string StorageType { get; set; } = ArtifactStorageTypes.Database;

    /// <summary>The root folder of the filesystem store (ARTIFACT_STORAGE_PATH); shared by the API and the workers.</summary>
    public string? StoragePath { get; set; }

    /// <summary>The S3-compatible service's URL (S3_ENDPOINT); empty for AWS itself (then S3_REGION picks the endpoint).</summary>
    public string? S3Endpoint { get; set; }

    /// <summary>S3_REGION (default us-east-1); part of every signature.</summary>
    public string S3Region { get; set; } = "us-east-1";

    /// <summary>S3_BUCKET: the bucket must exist; the process never creates it.</summary>
    public string? S3Bucket { get; set; }

    /// <summary>S3_ACCESS_KEY_ID.</summary>
    public string? S3AccessKeyId { get; set; }

    /// <summary>S3_SECRET_ACCESS_KEY (never logged).</summary>
    public string? S3SecretAccessKey { get; set; }

    /// <summary>S3_FORCE_PATH_STYLE: bucket in the path (most S3-compatible servers) instead of the host name.</summary>
    public bool S3ForcePathStyle { get; set; } = true;

    /// <summary>
    /// ARTIFACT_DOWNLOAD_REDIRECT: with the s3 store, a download answers 302 to a pre-signed URL of the object instead of
    /// streaming it through the API (clients must be able to reach S3_ENDPOINT).
    /// </summary>
    public bool DownloadRedirect { get; set; }

    /// <summary>ARTIFACT_PRESIGN_TTL_SECONDS: how long a pre-signed download URL is valid.</summary>
    [Range(10, 604_800)]
    public int PresignTtlSeconds { get; set; } = 300;

    /// <summary>
    /// ARTIFACT_ORPHAN_AFTER_MINUTES: objects in a filesystem or s3 store that no job_artifacts row names and that are
    /// older than this are deleted by the retention run (left by a worker that died between writing and recording).
    /// </summary>
    [Range(5, 10_080)]
    public int OrphanAfterMinutes { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var type = StorageType?.Trim().ToLowerInvariant();
        if (!ArtifactStorageTypes.All.Contains(type))
        {
            yield return new ValidationResult(
                $"ARTIFACT_STORAGE_TYPE (Artifacts:StorageType) must be one of {string.Join(", ", ArtifactStorageTypes.All)}, not '{StorageType}'.",
                [nameof(StorageType)]);
            yield break;
        }

        if (type == ArtifactStorageTypes.FileSystem && string.IsNullOrWhiteSpace(StoragePath))
        {
            yield return new ValidationResult(
                "ARTIFACT_STORAGE_PATH (Artifacts:StoragePath) is required when ARTIFACT_STORAGE_TYPE is filesystem.", [nameof(StoragePath)]);
        }

        if (type != ArtifactStorageTypes.S3)
        {
            yield break;
        }

        foreach (var (name, value) in new[]
                 {
                     ("S3_BUCKET (Artifacts:S3Bucket)", S3Bucket), ("S3_ACCESS_KEY_ID (Artifacts:S3AccessKeyId)", S3AccessKeyId),
                     ("S3_SECRET_ACCESS_KEY (Artifacts:S3SecretAccessKey)", S3SecretAccessKey), ("S3_REGION (Artifacts:S3Region)", S3Region),
                 })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return new ValidationResult($"{name} is required when ARTIFACT_STORAGE_TYPE is s3.", []);
            }
        }

        if (!string.IsNullOrWhiteSpace(S3Endpoint)
            && (!Uri.TryCreate(S3Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"S3_ENDPOINT (Artifacts:S3Endpoint) must be an absolute http or https URL, not '{S3Endpoint}'.", []);
        }
    }

    /// <summary>The store type, normalised (lower case).</summary>
    public string NormalizedType => (StorageType ?? string.Empty).Trim().ToLowerInvariant();
}
