using System.Net;
using BrowserAutomation.IntegrationTests.Support;

namespace BrowserAutomation.IntegrationTests.EndToEnd.Artifacts;

/// <summary>ARTIFACT_STORAGE_TYPE=s3 against the local s3rver: streaming, pre-signed redirects, clean-up and outages.</summary>
[Collection(S3StoreStackDefinition.Name)]
public sealed class S3ArtifactStoreTests(S3StoreStackFixture stack)
{
    [Fact]
    public Task Downloads_stream_with_range_and_etag_and_retention_deletes_old_jobs() =>
        ArtifactStoreScenarios.Downloads_stream_with_range_and_etag_and_retention_deletes_old_jobs(stack);

    [Fact]
    public Task A_discarded_late_attempt_leaves_no_object_behind() => ArtifactStoreScenarios.A_discarded_late_attempt_leaves_no_object_behind(stack);

    [Fact]
    public async Task With_redirects_on_a_download_is_a_302_to_a_pre_signed_url_that_serves_the_object()
    {
        var id = await ArtifactStoreScenarios.SubmitScreenshotAsync(stack);
        Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(id)).GetProperty("status").GetString());
        var bytes = await stack.Http.GetByteArrayAsync(new Uri($"/api/v1/jobs/{id}/artifacts/screenshot.png", UriKind.Relative));

        var (api, baseAddress) = await stack.StartExtraApiAsync(new() { ["ARTIFACT_DOWNLOAD_REDIRECT"] = "true", ["ARTIFACT_PRESIGN_TTL_SECONDS"] = "60" });
        await using (api)
        {
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress };
            client.DefaultRequestHeaders.Add("X-API-Key", stack.BootstrapAdminKey);
            using var redirect = await client.GetAsync(new Uri($"/api/v1/jobs/{id}/artifacts/screenshot.png", UriKind.Relative));

            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            var location = redirect.Headers.Location!;
            Assert.Equal(stack.S3Link.Port, location.Port);
            Assert.Contains("X-Amz-Signature=", location.Query, StringComparison.Ordinal);
            using var plain = new HttpClient();
            Assert.Equal(bytes, await plain.GetByteArrayAsync(location));
        }
    }

    [Fact]
    public async Task An_unreachable_store_fails_the_attempt_as_transient_shows_in_readiness_and_the_retry_completes()
    {
        using var probe = new HttpClient();
        stack.S3Link.Disable();
        Guid jobId;
        try
        {
            await Wait.UntilAsync(async () => (await probe.GetAsync(new Uri(stack.WorkerAddress, "/health/ready"))).StatusCode == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(30), "the worker's readiness to report the store");
            using var ready = await stack.Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("artifact-store", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            jobId = await ArtifactStoreScenarios.SubmitScreenshotAsync(stack);
            await Wait.UntilAsync(
                async () => await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_logs WHERE job_id = @p0 AND message LIKE '%storage_unavailable%'", jobId) > 0,
                TimeSpan.FromSeconds(60), $"an attempt of job {jobId} to fail as storage_unavailable\nWorker:\n{stack.Worker.Tail}");
        }
        finally
        {
            stack.S3Link.Enable();
        }

        var job = await stack.WaitForFinalStatusAsync(jobId, TimeSpan.FromSeconds(90));
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.True(job.GetProperty("retryCount").GetInt32() >= 1, "the store outage cost at least one attempt");
        Assert.Single(await stack.ObjectsOfJobAsync(jobId));
        using var download = await stack.Http.GetAsync(new Uri($"/api/v1/jobs/{jobId}/artifacts/screenshot.png", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
    }
}
