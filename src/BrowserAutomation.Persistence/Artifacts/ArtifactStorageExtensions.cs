using BrowserAutomation.Hosting;
using BrowserAutomation.Hosting.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Persistence.Artifacts;

public static class ArtifactStorageExtensions
{
    /// <summary>
    /// The artifact store of ARTIFACT_STORAGE_TYPE (checked at start: an unknown type or incomplete S3 settings stop
    /// the process naming the variable), and for filesystem and s3 an "artifact-store" readiness check.
    /// </summary>
    public static IServiceCollection AddArtifactStorage(this IServiceCollection services)
    {
        services.AddOptions<ArtifactStorageOptions>().BindSettings(ArtifactStorageOptions.SectionName);
        services.TryAddSingleton<ArtifactDataSource>();
        services.TryAddSingleton<DatabaseArtifactStore>();
        services.TryAddSingleton<IArtifactStore>(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<ArtifactStorageOptions>>().Value;
            return options.NormalizedType switch
            {
                ArtifactStorageTypes.FileSystem => new FileSystemArtifactStore(options.StoragePath!),
                ArtifactStorageTypes.S3 => new S3ArtifactStore(options),
                _ => provider.GetRequiredService<DatabaseArtifactStore>(),
            };
        });
        services.TryAddSingleton<ArtifactStores>();
        services.TryAddSingleton<ArtifactWriter>();
        services.AddOptions<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>()
            .Configure<IOptions<ArtifactStorageOptions>>(static (health, storage) =>
            {
                if (storage.Value.NormalizedType == ArtifactStorageTypes.Database
                    || health.Registrations.Any(r => r.Name == ArtifactStoreHealthCheck.Name))
                {
                    return;
                }

                health.Registrations.Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(ArtifactStoreHealthCheck.Name,
                    static provider => new ArtifactStoreHealthCheck(provider.GetRequiredService<ArtifactStores>()),
                    Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, ["ready"], HealthHostExtensions.CheckTimeout));
            });
        return services;
    }
}
