using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using BrowserAutomation.IntegrationTests.Support;

namespace BrowserAutomation.IntegrationTests.EndToEnd.Artifacts;

/// <summary>What every artifact store must do, end to end through the API and a worker.</summary>
internal static class ArtifactStoreScenarios
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Two screenshot jobs: the recent one downloads whole, by Range (206, suffix, 416) and revalidates by ETag (304);
    /// the other, back-dated past JOB_CLEANUP_AFTER_DAYS, disappears with its store objects while the recent one stays.
    /// </summary>
    public static async Task Downloads_stream_with_range_and_etag_and_retention_deletes_old_jobs(ArtifactStoreStackFixture stack)
    {
        var old = await SubmitScreenshotAsync(stack);
        var recent = await SubmitScreenshotAsync(stack);
        foreach (var id in new[] { old, recent })
        {
            var job = await stack.WaitForFinalStatusAsync(id);
            Assert.Equal("completed", job.GetProperty("status").GetString());
        }

        Assert.Equal(stack.StoreType, await stack.Database.ScalarAsync<string>("SELECT storage_type FROM job_artifacts WHERE job_id = @p0", recent));
        Assert.Single(await stack.ObjectsOfJobAsync(recent));
        Assert.Single(await stack.ObjectsOfJobAsync(old));

        var path = new Uri($"/api/v1/jobs/{recent}/artifacts/screenshot.png", UriKind.Relative);
        using var whole = await stack.Http.GetAsync(path);
        Assert.True(whole.StatusCode == HttpStatusCode.OK, $"{whole.StatusCode}: {await whole.Content.ReadAsStringAsync()}\nAPI:\n{stack.Api.Tail}");
        Assert.Equal("image/png", whole.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bytes", whole.Headers.AcceptRanges);
        Assert.Equal("inline; filename=\"screenshot.png\"", whole.Content.Headers.ContentDisposition?.ToString());
        var bytes = await whole.Content.ReadAsByteArrayAsync();
        Assert.Equal((320, 240), ImageHeaders.PngSize(bytes));
        var etag = whole.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"", etag.Tag);

        using (var first = await GetAsync(stack, path, r => r.Headers.Range = new RangeHeaderValue(0, 99)))
        {
            Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
            Assert.Equal($"bytes 0-99/{bytes.Length}", first.Content.Headers.ContentRange?.ToString());
            Assert.Equal(bytes[..100], await first.Content.ReadAsByteArrayAsync());
        }

        using (var tail = await GetAsync(stack, path, r => r.Headers.Range = new RangeHeaderValue(null, 50)))
        {
            Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
            Assert.Equal(bytes[^50..], await tail.Content.ReadAsByteArrayAsync());
        }

        using (var beyond = await GetAsync(stack, path, r => r.Headers.Range = new RangeHeaderValue(bytes.Length, null)))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
            Assert.Equal($"bytes */{bytes.Length}", beyond.Content.Headers.ContentRange?.ToString());
        }

        using (var unchanged = await GetAsync(stack, path, r => r.Headers.IfNoneMatch.Add(etag)))
        {
            Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        }

        await stack.Database.ScalarAsync<int>(
            "WITH u AS (UPDATE automation_jobs SET created_at = now() - interval '40 days', completed_at = now() - interval '40 days' WHERE id = @p0 RETURNING 1) SELECT count(*)::int FROM u",
            old);
        await Wait.UntilAsync(async () => await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE id = @p0", old) == 0,
            Bound, $"retention to delete job {old}\nAPI:\n{stack.Api.Tail}");
        await Wait.UntilAsync(async () => (await stack.ObjectsOfJobAsync(old)).Count == 0, Bound, $"retention to delete the objects of job {old}");
        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_logs WHERE job_id = @p0", old));
        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_events WHERE job_id = @p0", old));

        Assert.Single(await stack.ObjectsOfJobAsync(recent));
        Assert.Equal(bytes, await stack.Http.GetByteArrayAsync(path));
    }

    /// <summary>
    /// A job moved past the attempt while its page ran (what the watchdog does to a hung attempt): the worker discards
    /// the attempt's result and deletes the objects it had already written.
    /// </summary>
    public static async Task A_discarded_late_attempt_leaves_no_object_behind(ArtifactStoreStackFixture stack)
    {
        var id = await stack.SubmitAsync(new
        {
            browserTypeId = 1, url = stack.Site.Url("/page"), maxRetries = 0, viewport = new { width = 320, height = 240 },
            actions = new object[] { new { action = "wait", milliseconds = 2000 }, new { action = "screenshot" } },
        });
        await Wait.UntilAsync(async () => (await stack.GetJobAsync(id)).GetProperty("status").GetString() == "processing", Bound,
            $"job {id} to start\nWorker:\n{stack.Worker.Tail}");

        await stack.Database.ScalarAsync<int>("WITH u AS (UPDATE automation_jobs SET attempt = attempt + 1 WHERE id = @p0 RETURNING 1) SELECT count(*)::int FROM u", id);

        await Wait.UntilAsync(
            async () => await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_logs WHERE job_id = @p0 AND message LIKE '%result was discarded%'", id) > 0,
            Bound, $"the worker to discard the late attempt of job {id}\nWorker:\n{stack.Worker.Tail}");
        await Wait.UntilAsync(async () => (await stack.ObjectsOfJobAsync(id)).Count == 0, Bound, $"the objects of job {id}'s discarded attempt to be deleted");
        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_artifacts WHERE job_id = @p0", id));
    }

    public static async Task<Guid> SubmitScreenshotAsync(StackFixture stack) => await stack.SubmitAsync(new
    {
        browserTypeId = 1, actionType = "screenshot", payload = new { url = stack.Site.Url("/page"), viewport = new { width = 320, height = 240 } },
    });

    private static async Task<HttpResponseMessage> GetAsync(StackFixture stack, Uri path, Action<HttpRequestMessage> shape)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        shape(request);
        return await stack.Http.SendAsync(request);
    }
}
