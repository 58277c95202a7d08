using BrowserAutomation.Api.Artifacts;
using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Artifacts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Persistence.Artifacts;

/// <summary>An unknown store type, incomplete S3 settings or a bad retention value stop start-up naming the variable.</summary>
public sealed class ArtifactStorageSettingsTests
{
    private const string SecretsKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static readonly Dictionary<string, string?> CompleteS3 = new()
    {
        ["ARTIFACT_STORAGE_TYPE"] = "s3", ["S3_ENDPOINT"] = "http://127.0.0.1:4568", ["S3_BUCKET"] = "artifacts",
        ["S3_ACCESS_KEY_ID"] = "id", ["S3_SECRET_ACCESS_KEY"] = "secret",
    };

    [Theory]
    [InlineData("ARTIFACT_STORAGE_TYPE", "ftp", "ARTIFACT_STORAGE_TYPE (Artifacts:StorageType) must be one of database, filesystem, s3, not 'ftp'.")]
    [InlineData("ARTIFACT_PRESIGN_TTL_SECONDS", "1", "ARTIFACT_PRESIGN_TTL_SECONDS (Artifacts:PresignTtlSeconds) must be between 10 and 604800, not 1.")]
    [InlineData("ARTIFACT_DOWNLOAD_REDIRECT", "maybe", "ARTIFACT_DOWNLOAD_REDIRECT (Artifacts:DownloadRedirect) must be true or false, not 'maybe'.")]
    [InlineData("JOB_CLEANUP_AFTER_DAYS", "-1", "JOB_CLEANUP_AFTER_DAYS (Retention:JobCleanupAfterDays) must be between 0 and 36500, not -1.")]
    [InlineData("RETENTION_BATCH_SIZE", "0", "RETENTION_BATCH_SIZE (Retention:BatchSize) must be between 1 and 10000, not 0.")]
    [InlineData("RETENTION_INTERVAL_MS", "10", "RETENTION_INTERVAL_MS (Retention:IntervalMs) must be between 1000 and 86400000, not 10.")]
    [InlineData("INBOX_RETENTION_HOURS", "0", "INBOX_RETENTION_HOURS (Retention:InboxRetentionHours) must be between 1 and 87600, not 0.")]
    public void A_bad_value_stops_start_up_naming_the_variable(string variable, string value, string expected) =>
        Assert.Contains(expected, StartupError(new() { [variable] = value }), StringComparison.Ordinal);

    [Theory]
    [InlineData("S3_BUCKET", "S3_BUCKET (Artifacts:S3Bucket) is required when ARTIFACT_STORAGE_TYPE is s3.")]
    [InlineData("S3_ACCESS_KEY_ID", "S3_ACCESS_KEY_ID (Artifacts:S3AccessKeyId) is required when ARTIFACT_STORAGE_TYPE is s3.")]
    [InlineData("S3_SECRET_ACCESS_KEY", "S3_SECRET_ACCESS_KEY (Artifacts:S3SecretAccessKey) is required when ARTIFACT_STORAGE_TYPE is s3.")]
    public void Incomplete_s3_settings_stop_start_up_naming_the_missing_variable(string missing, string expected)
    {
        var settings = new Dictionary<string, string?>(CompleteS3);
        settings.Remove(missing);

        Assert.Contains(expected, StartupError(settings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_filesystem_store_needs_its_path_and_an_s3_endpoint_must_be_a_url()
    {
        Assert.Contains("ARTIFACT_STORAGE_PATH (Artifacts:StoragePath) is required when ARTIFACT_STORAGE_TYPE is filesystem.",
            StartupError(new() { ["ARTIFACT_STORAGE_TYPE"] = "filesystem" }), StringComparison.Ordinal);
        Assert.Contains("S3_ENDPOINT (Artifacts:S3Endpoint) must be an absolute http or https URL, not 'minio:9000'.",
            StartupError(new(CompleteS3) { ["S3_ENDPOINT"] = "minio:9000" }), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, typeof(DatabaseArtifactStore))]
    [InlineData("FileSystem", typeof(FileSystemArtifactStore))]
    [InlineData("s3", typeof(S3ArtifactStore))]
    public void Good_settings_pick_the_store(string? type, Type expected)
    {
        var settings = new Dictionary<string, string?>(CompleteS3) { ["ARTIFACT_STORAGE_TYPE"] = type, ["ARTIFACT_STORAGE_PATH"] = Path.GetTempPath() };
        using var provider = Build(settings);

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.IsType(expected, provider.GetRequiredService<ArtifactStores>().Current);
        Assert.Equal(30, provider.GetRequiredService<IOptions<RetentionOptions>>().Value.JobCleanupAfterDays);
    }

    private static string StartupError(Dictionary<string, string?> settings)
    {
        using var provider = Build(settings);
        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        return error is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message)) : error.Message;
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        // No default sources: the test process's own environment must not leak in.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        settings.TryAdd("SECRETS_ENCRYPTION_KEY", SecretsKey);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariableMapping();
        builder.AddAutomationPersistence();
        builder.Services.AddOptions<RetentionOptions>().BindSettings(RetentionOptions.SectionName);
        return builder.Services.BuildServiceProvider();
    }
}
