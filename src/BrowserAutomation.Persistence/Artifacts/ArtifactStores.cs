using BrowserAutomation.Persistence.Entities;

namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>
/// The configured store (<see cref="Current"/>, where new artifacts go) and the store each existing row names. Rows
/// of the database store are always readable; a row written to another store type than the configured one is not.
/// </summary>
public sealed class ArtifactStores(IArtifactStore current, DatabaseArtifactStore database)
{
    public IArtifactStore Current => current;

    /// <summary>The store holding a row's bytes, or null when the row names a store type this process is not configured for.</summary>
    public IArtifactStore? For(JobArtifact artifact) => For(artifact.StorageType);

    public IArtifactStore? For(string? storageType) => storageType switch
    {
        null or ArtifactStorageTypes.Database => database,
        _ when storageType == current.Type => current,
        _ => null,
    };
}
