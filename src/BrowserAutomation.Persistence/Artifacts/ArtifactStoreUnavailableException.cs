namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>The artifact store could not be written; the attempt fails as storage_unavailable (transient, retried).</summary>
public sealed class ArtifactStoreUnavailableException(string message, Exception inner) : Exception(message, inner);
