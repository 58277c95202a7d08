using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// The result cache: an identical request of the same owner within maxAgeSeconds completes at once with no browser work
/// (the worker's pool counters do not move) and the same artifacts; another owner never hits it; an older result runs again.
/// </summary>
[Collection(StackDefinition.Name)]
public sealed class ResultCacheTests(StackFixture stack)
{
    private static readonly Uri Jobs = new("/api/v1/jobs", UriKind.Relative);

    private object Screenshot(string marker, int maxAgeSeconds) => new
    {
        browserTypeId = 1, actionType = "screenshot",
        payload = new { url = stack.Site.Url($"/page?cache={marker}"), viewport = new { width = 320, height = 240 } },
        cache = new { maxAgeSeconds },
    };

    [Fact]
    public async Task A_cached_request_completes_without_a_browser_and_serves_the_same_artifacts_to_its_owner_only()
    {
        var (alice, _, _) = await stack.TenantAsync();
        var (bob, _, _) = await stack.TenantAsync();
        using var _a = alice;
        using var _b = bob;
        var marker = Guid.NewGuid().ToString("N");

        var (original, originalBody) = await PostAsync(alice, Screenshot(marker, 600), HttpStatusCode.Accepted);
        Assert.False(originalBody.GetProperty("cached").GetBoolean());
        var done = await stack.WaitForFinalStatusAsync(original);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var pagesServed = await PagesServedAfterAsync(done.GetProperty("completedAt").GetDateTime());

        // Same owner, same job, a different priority: answered at once, completed, pointing at the original.
        var again = Screenshot(marker, 600);
        var (cached, cachedBody) = await PostAsync(alice, new { browserTypeId = 1, actionType = "screenshot", priority = 7,
            payload = new { url = stack.Site.Url($"/page?cache={marker}"), viewport = new { width = 320, height = 240 } }, cache = new { maxAgeSeconds = 600 } },
            HttpStatusCode.OK);
        Assert.NotEqual(original, cached);
        Assert.Equal("completed", cachedBody.GetProperty("status").GetString());
        Assert.True(cachedBody.GetProperty("cached").GetBoolean());
        Assert.Equal(original, cachedBody.GetProperty("cachedFrom").GetGuid());

        var job = await alice.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/jobs/{cached}", UriKind.Relative));
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.True(job.GetProperty("cached").GetBoolean());
        var shot = await alice.GetByteArrayAsync(new Uri(job.GetProperty("result").GetProperty("screenshotUrl").GetString()!, UriKind.Relative));
        var originalShot = await alice.GetByteArrayAsync(new Uri(done.GetProperty("result").GetProperty("screenshotUrl").GetString()!, UriKind.Relative));
        Assert.Equal(originalShot, shot);
        Assert.Equal((320, 240), ImageHeaders.PngSize(shot));

        // No browser context was handed out for it, and no attempt ever started.
        Assert.Equal(pagesServed, await PagesServedAfterAsync(job.GetProperty("completedAt").GetDateTime()));
        var logs = await alice.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/jobs/{cached}/logs", UriKind.Relative));
        Assert.DoesNotContain(logs.GetProperty("data").EnumerateArray(), l => l.GetProperty("message").GetString()!.StartsWith("Attempt", StringComparison.Ordinal));

        // Another owner with the very same request runs it.
        var (bobs, bobBody) = await PostAsync(bob, again, HttpStatusCode.Accepted);
        Assert.False(bobBody.GetProperty("cached").GetBoolean());
        Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(bobs)).GetProperty("status").GetString());
        using (var foreign = await bob.GetAsync(new Uri($"/api/v1/jobs/{cached}/artifacts/screenshot.png", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }

        // A result older than maxAgeSeconds does not answer: the job runs again.
        var completedAt = done.GetProperty("completedAt").GetDateTime().ToUniversalTime();
        await Wait.UntilAsync(() => DateTime.UtcNow > completedAt.AddSeconds(2), TimeSpan.FromSeconds(10), "the original result to be 2 s old");
        var (rerun, rerunBody) = await PostAsync(alice, Screenshot(marker, 1), HttpStatusCode.Accepted);
        Assert.False(rerunBody.GetProperty("cached").GetBoolean());
        var rerunDone = await stack.WaitForFinalStatusAsync(rerun);
        Assert.Equal("completed", rerunDone.GetProperty("status").GetString());
        Assert.False(rerunDone.GetProperty("cached").GetBoolean());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(86_401)]
    public async Task A_max_age_out_of_range_is_a_400_naming_the_field(int maxAgeSeconds)
    {
        using var response = await stack.Http.PostAsJsonAsync(Jobs, Screenshot("bad", maxAgeSeconds));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("cache.maxAgeSeconds", out _), problem.ToString());
    }

    private static async Task<(Guid Id, JsonElement Body)> PostAsync(HttpClient client, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(Jobs, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {json}");
        return (json.GetProperty("jobId").GetGuid(), json);
    }

    /// <summary>The worker's count of browser contexts handed out, from a heartbeat sent at least a second after <paramref name="after"/>.</summary>
    private async Task<long> PagesServedAfterAsync(DateTime after)
    {
        var since = after.ToUniversalTime().AddSeconds(1);
        long pages = -1;
        await Wait.UntilAsync(async () =>
            {
                var workers = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/workers", UriKind.Relative));
                var live = workers.GetProperty("data").EnumerateArray()
                    .Where(w => w.GetProperty("status").GetString() != "offline" && w.GetProperty("lastHeartbeat").GetDateTime().ToUniversalTime() > since)
                    .ToList();
                if (live.Count != 1)
                {
                    return false;
                }

                pages = live[0].GetProperty("metadata").GetProperty("pool").GetProperty("pagesServed").GetInt64();
                return true;
            },
            TimeSpan.FromSeconds(30), "a worker heartbeat after the job");
        return pages;
    }
}
