using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>GET /api/v1/overview and the dashboard's static page, over HTTP against the running API.</summary>
[Collection(DashboardStackDefinition.Name)]
public sealed class OverviewTests(DashboardStackFixture stack)
{
    private static readonly Uri Overview = new("/api/v1/overview", UriKind.Relative);

    [Fact]
    public async Task The_overview_shows_the_keys_owner_its_own_jobs_only_and_an_admin_every_owners()
    {
        var (alice, aliceOwner, _) = await stack.TenantAsync();
        var (bob, _, _) = await stack.TenantAsync();
        using var _a = alice;
        using var _b = bob;
        var shot = await DashboardStackFixture.SubmitAsync(alice, stack.Screenshot());
        var failing = await DashboardStackFixture.SubmitAsync(alice, stack.Failing());
        var bobs = await DashboardStackFixture.SubmitAsync(bob, stack.Screenshot());
        foreach (var id in new[] { shot, failing, bobs })
        {
            await stack.WaitForFinalStatusAsync(id);
        }

        var mine = await alice.GetFromJsonAsync<JsonElement>(Overview);
        Assert.Equal(aliceOwner, mine.GetProperty("caller").GetProperty("owner").GetString());
        Assert.False(mine.GetProperty("caller").GetProperty("seesAllOwners").GetBoolean());
        var jobs = mine.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal([failing, shot], jobs.Select(j => j.GetProperty("id").GetGuid()));
        Assert.All(jobs, j => Assert.Equal(aliceOwner, j.GetProperty("owner").GetString()));

        var completed = jobs.Single(j => j.GetProperty("id").GetGuid() == shot);
        Assert.Equal(("completed", "chromium", "screenshot"),
            (completed.GetProperty("status").GetString(), completed.GetProperty("engine").GetString(), completed.GetProperty("actionType").GetString()));
        Assert.True(completed.GetProperty("durationMs").GetInt64() > 0);
        var screenshot = Assert.Single(completed.GetProperty("screenshots").EnumerateArray());
        using (var image = await alice.GetAsync(new Uri(screenshot.GetProperty("url").GetString()!, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        }

        var failed = jobs.Single(j => j.GetProperty("id").GetGuid() == failing);
        Assert.Equal(("failed", "selector_not_found"), (failed.GetProperty("status").GetString(), failed.GetProperty("errorType").GetString()));
        Assert.False(string.IsNullOrEmpty(failed.GetProperty("errorMessage").GetString()));

        // The figures are the owner's: one completed, one failed, both counted under their error type.
        Assert.Equal(1, mine.GetProperty("statusCounts").GetProperty("completed").GetInt32());
        Assert.Equal(1, mine.GetProperty("statusCounts").GetProperty("failed").GetInt32());
        var reason = Assert.Single(mine.GetProperty("failures").EnumerateArray());
        Assert.Equal(("selector_not_found", 1), (reason.GetProperty("errorType").GetString(), reason.GetProperty("count").GetInt32()));
        var chromium = mine.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("engine").GetString() == "chromium");
        Assert.Equal(0, chromium.GetProperty("pending").GetInt32());
        Assert.Equal(JsonValueKind.Null, chromium.GetProperty("oldestPendingAgeSeconds").ValueKind);

        // Workers are shown with their pool, without job ids or (to a tenant) host names.
        var worker = mine.GetProperty("workers").EnumerateArray().First(w => w.GetProperty("status").GetString() != "offline");
        Assert.Equal("chromium", worker.GetProperty("engine").GetString());
        Assert.True(worker.GetProperty("pool").GetProperty("launched").GetInt64() >= 1);
        Assert.Equal(1, worker.GetProperty("maxConcurrentJobs").GetInt32());
        Assert.Equal(JsonValueKind.Null, worker.GetProperty("host").ValueKind);
        Assert.DoesNotContain(bobs.ToString(), mine.GetRawText(), StringComparison.Ordinal);

        var all = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/overview?limit=200", UriKind.Relative));
        Assert.True(all.GetProperty("caller").GetProperty("seesAllOwners").GetBoolean());
        var ids = all.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(shot, ids);
        Assert.Contains(bobs, ids);
        Assert.NotEqual(JsonValueKind.Null, all.GetProperty("workers")[0].GetProperty("host").ValueKind);
    }

    [Fact]
    public async Task The_overview_needs_a_valid_key_with_read_scope_and_a_sane_limit()
    {
        var (id, key) = await stack.CreateKeyAsync("overview-revoked", "read");
        using var revoked = stack.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await revoked.GetAsync(Overview)).StatusCode);
        await stack.RevokeKeyAsync(id);

        using var wrong = stack.CreateClient("ba_not_a_key");
        using var anonymous = stack.CreateClient((string?)null);
        var (_, submitOnly) = await stack.CreateKeyAsync("overview-submit", "submit");
        using var submitter = stack.CreateClient(submitOnly);

        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync(Overview)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(Overview)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Overview)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await submitter.GetAsync(Overview)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await stack.Http.GetAsync(new Uri("/api/v1/overview?limit=0", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await stack.Http.GetAsync(new Uri("/api/v1/overview?limit=201", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_page_and_its_assets_are_served_without_a_key_and_hold_no_data()
    {
        using var anonymous = stack.CreateClient((string?)null);
        using var page = await anonymous.GetAsync(new Uri("/dashboard", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("/dashboard/app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        foreach (var (asset, type) in new[] { ("app.js", "text/javascript"), ("api.js", "text/javascript"), ("view.js", "text/javascript"), ("dashboard.css", "text/css") })
        {
            using var response = await anonymous.GetAsync(new Uri($"/dashboard/{asset}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            using var again = new HttpRequestMessage(HttpMethod.Get, new Uri($"/dashboard/{asset}", UriKind.Relative));
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(again)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/dashboard/secrets.json", UriKind.Relative))).StatusCode);
    }
}
