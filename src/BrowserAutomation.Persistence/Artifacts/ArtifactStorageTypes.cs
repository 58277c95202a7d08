namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>The values of ARTIFACT_STORAGE_TYPE, also written to job_artifacts.storage_type.</summary>
public static class ArtifactStorageTypes
{
    public const string Database = "database";

    public const string FileSystem = "filesystem";

    public const string S3 = "s3";

    public static IReadOnlyList<string> All { get; } = [Database, FileSystem, S3];
}
