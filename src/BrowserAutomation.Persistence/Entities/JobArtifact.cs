namespace BrowserAutomation.Persistence.Entities;

/// <summary>A file a job produced (table job_artifacts); PostgreSQL is the default store.</summary>
public sealed class JobArtifact
{
    public Guid Id { get; set; }

    public Guid JobId { get; set; }

    /// <summary>screenshot, pdf, failure-screenshot, trace ...</summary>
    public required string ArtifactType { get; set; }

    /// <summary>The name clients may use instead of the id (screenshot.png).</summary>
    public required string FileName { get; set; }

    /// <summary>Set when the bytes live on disk instead of in <see cref="FileData"/>.</summary>
    public string? FilePath { get; set; }

    public byte[]? FileData { get; set; }

    public required string MimeType { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>The step that produced it.</summary>
    public int? StepIndex { get; set; }

    public DateTime CreatedAt { get; set; }
}
