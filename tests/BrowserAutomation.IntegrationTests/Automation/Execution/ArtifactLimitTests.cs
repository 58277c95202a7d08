using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace BrowserAutomation.IntegrationTests.Automation.Execution;

/// <summary>MAX_ARTIFACT_SIZE_MB and MAX_JOB_ARTIFACTS_SIZE_MB, enforced before anything reaches the database.</summary>
public sealed class ArtifactLimitTests(ChromiumPoolFixture fixture) : IClassFixture<ChromiumPoolFixture>
{
    [Fact]
    public async Task An_artifact_over_the_limit_fails_the_job_as_artifact_too_large()
    {
        // Per-pixel noise over 800x600 does not compress: the PNG is well over a 1 MB limit.
        var outcome = await RunAsync(
            new BrowserOptions { Engines = [fixture.Engine], MaxArtifactSizeMb = 1, EvaluateEnabled = true },
            Jobs.For(fixture.Site.Url("/page"), PixelNoise, Jobs.Screenshot()));

        Assert.False(outcome.Succeeded);
        Assert.Equal(JobErrorTypes.ArtifactTooLarge, outcome.ErrorType);
        Assert.Equal(1, outcome.FailedStepIndex);
        Assert.Contains("screenshot.png is", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("MAX_ARTIFACT_SIZE_MB", outcome.ErrorMessage, StringComparison.Ordinal);
        // Neither the oversized screenshot nor an oversized failure screenshot is kept.
        Assert.All(outcome.Artifacts, a => Assert.True(a.Data.Length <= 1024 * 1024, $"{a.FileName} is {a.Data.Length} bytes"));
        Assert.DoesNotContain(outcome.Artifacts, a => a.ArtifactType == "screenshot");
    }

    [Fact]
    public async Task The_job_total_is_limited_too()
    {
        // Each screenshot fits 2 MB on its own; two of them do not fit a 2 MB job total.
        var outcome = await RunAsync(
            new BrowserOptions { Engines = [fixture.Engine], MaxArtifactSizeMb = 2, MaxJobArtifactsSizeMb = 2, EvaluateEnabled = true },
            Jobs.For(fixture.Site.Url("/page"), PixelNoise, Jobs.Screenshot(), Jobs.Screenshot(), Jobs.Screenshot()));

        Assert.Equal(JobErrorTypes.ArtifactTooLarge, outcome.ErrorType);
        Assert.Contains("MAX_JOB_ARTIFACTS_SIZE_MB", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(2, outcome.FailedStepIndex);
        Assert.Equal(1, outcome.Artifacts.Count(a => a.ArtifactType == "screenshot"));
        Assert.True(outcome.Artifacts.Sum(a => (long)a.Data.Length) <= 2 * 1024 * 1024);
    }

    [Fact]
    public async Task Artifacts_within_the_limits_are_kept()
    {
        var outcome = await RunAsync(
            new BrowserOptions { Engines = [fixture.Engine], MaxArtifactSizeMb = 1 },
            Jobs.For(fixture.Site.Url("/page"), Jobs.Screenshot()));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Single(outcome.Artifacts);
    }

    // Covers the viewport with a canvas of random pixels (about 1.4 MB as PNG).
    private static readonly JobAction PixelNoise = Jobs.Evaluate("noise", """
        (() => {
          const c = document.createElement('canvas');
          c.width = 800; c.height = 600;
          c.style.cssText = 'position:fixed;left:0;top:0;z-index:99999';
          const ctx = c.getContext('2d');
          const image = ctx.createImageData(800, 600);
          for (let i = 0; i < image.data.length; i++) image.data[i] = (i % 4 === 3) ? 255 : Math.floor(Math.random() * 256);
          ctx.putImageData(image, 0, 0);
          document.body.appendChild(c);
          return true;
        })()
        """);

    private Task<JobExecutionOutcome> RunAsync(BrowserOptions options, JobRequested job) =>
        new JobExecutor(fixture.Pool, Microsoft.Extensions.Options.Options.Create(options), NullLogger<JobExecutor>.Instance)
            .ExecuteAsync(job, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(2));
}
