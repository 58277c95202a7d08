namespace BrowserAutomation.Persistence.Entities;

/// <summary>
/// A file a job produced (table job_artifacts). The row holds the metadata; the bytes are in <see cref="FileData"/>
/// (the database store, the default) or in the store <see cref="StorageType"/> names under <see cref="StorageKey"/>.
/// </summary>
public sealed class JobArtifact
{
    public Guid Id { get; set; }

    public Guid JobId { get; set; }

    /// <summary>screenshot, pdf, failure-screenshot, trace ...</summary>
    public required string ArtifactType { get; set; }

    /// <summary>The name clients may use instead of the id (screenshot.png).</summary>
    public required string FileName { get; set; }

    /// <summary>Unused (a column of the original design); see <see cref="StorageKey"/>.</summary>
    public string? FilePath { get; set; }

    /// <summary>database, filesystem or s3 (ARTIFACT_STORAGE_TYPE when written); null on rows older than the setting: database.</summary>
    public string? StorageType { get; set; }

    /// <summary>The object's key in a filesystem or s3 store (jobs/{jobId}/{artifactId}).</summary>
    public string? StorageKey { get; set; }

    /// <summary>SHA-256 of the bytes (hex), the download's ETag.</summary>
    public string? Sha256 { get; set; }

    public byte[]? FileData { get; set; }

    public required string MimeType { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>The step that produced it.</summary>
    public int? StepIndex { get; set; }

    public DateTime CreatedAt { get; set; }
}
