using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BrowserAutomation.Persistence.Artifacts;

/// <summary>"artifact-store": the filesystem or s3 store can be reached (a probe file written, or the bucket listed).</summary>
public sealed class ArtifactStoreHealthCheck(ArtifactStores stores) : IHealthCheck
{
    public const string Name = "artifact-store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await stores.Current.CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{stores.Current.Type} store reachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's message only: an SDK's full exception may carry request details.
            return HealthCheckResult.Unhealthy($"{stores.Current.Type} store unreachable: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
