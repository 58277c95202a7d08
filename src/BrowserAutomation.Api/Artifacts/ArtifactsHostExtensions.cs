using BrowserAutomation.Hosting;

namespace BrowserAutomation.Api.Artifacts;

public static class ArtifactsHostExtensions
{
    /// <summary>Artifact downloads from the configured store and the retention run (JOB_CLEANUP_AFTER_DAYS and the rest).</summary>
    public static WebApplicationBuilder AddArtifacts(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ArtifactDownloads>();
        builder.Services.AddOptions<RetentionOptions>().BindSettings(RetentionOptions.SectionName);
        builder.Services.AddSingleton<RetentionService>();
        builder.Services.AddHostedService(static provider => provider.GetRequiredService<RetentionService>());
        return builder;
    }
}
