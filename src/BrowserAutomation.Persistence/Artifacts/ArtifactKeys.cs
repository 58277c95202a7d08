namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>Object keys of a filesystem or s3 store: jobs/{jobId}/{artifactId}, so a key names the row that owns it.</summary>
public static class ArtifactKeys
{
    private const string Prefix = "jobs/";

    public static string For(Guid jobId, Guid artifactId) => $"{Prefix}{jobId:N}/{artifactId:N}";

    /// <summary>The artifact id a key names, or null for an object this service did not write.</summary>
    public static Guid? ArtifactIdOf(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var slash = key.LastIndexOf('/');
        return Guid.TryParseExact(key[(slash + 1)..], "N", out var id) ? id : null;
    }
}
