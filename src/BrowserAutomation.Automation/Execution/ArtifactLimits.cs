using System.Globalization;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.Automation.Execution;

/// <summary>
/// Enforces MAX_ARTIFACT_SIZE_MB per artifact and MAX_JOB_ARTIFACTS_SIZE_MB per job as each step hands its artifacts
/// over, so an oversized screenshot or PDF fails the job (artifact_too_large, permanent) instead of reaching the database.
/// </summary>
internal static class ArtifactLimits
{
    private const long Megabyte = 1024 * 1024;

    public static void Check(IReadOnlyList<ProducedArtifact> produced, IReadOnlyList<ProducedArtifact> kept, BrowserOptions options)
    {
        var total = kept.Sum(static a => (long)a.Data.Length);
        foreach (var artifact in produced)
        {
            if (artifact.Data.Length > options.MaxArtifactSizeMb * Megabyte)
            {
                throw new JobStepException(
                    JobErrorTypes.ArtifactTooLarge,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{artifact.FileName} is {Describe(artifact.Data.Length)}; the limit per artifact is {options.MaxArtifactSizeMb} MB (MAX_ARTIFACT_SIZE_MB)."));
            }

            total += artifact.Data.Length;
            if (total > options.MaxJobArtifactsSizeMb * Megabyte)
            {
                throw new JobStepException(
                    JobErrorTypes.ArtifactTooLarge,
                    string.Create(CultureInfo.InvariantCulture,
                        $"With {artifact.FileName} the job's artifacts reach {Describe(total)}; the limit per job is {options.MaxJobArtifactsSizeMb} MB (MAX_JOB_ARTIFACTS_SIZE_MB)."));
            }
        }
    }

    /// <summary>Whether an optional artifact (the failure screenshot) still fits both limits.</summary>
    public static bool Fits(ProducedArtifact artifact, IReadOnlyList<ProducedArtifact> kept, BrowserOptions options) =>
        artifact.Data.Length <= options.MaxArtifactSizeMb * Megabyte
        && kept.Sum(static a => (long)a.Data.Length) + artifact.Data.Length <= options.MaxJobArtifactsSizeMb * Megabyte;

    private static string Describe(long bytes) =>
        bytes >= Megabyte
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)Megabyte:0.0} MB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
