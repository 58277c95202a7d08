using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// Browser types created, changed and deactivated on one API copy are seen by another at once (the fixture's cache
/// entries would otherwise live ten minutes), a key revoked on one copy is refused by the other, and reads have a
/// budget of their own.
/// </summary>
[Collection(ClientInputDefinition.Name)]
public sealed class BrowserTypeManagementTests(ClientInputFixture stack)
{
    private static readonly Uri Browsers = new("/api/v1/browsers", UriKind.Relative);
    private static readonly Uri Jobs = new("/api/v1/jobs", UriKind.Relative);

    private object Visit(int browserTypeId) => new { browserTypeId, actionType = "visit", payload = new { url = stack.Site.Url("/page") } };

    [Fact]
    public async Task Browser_types_are_validated_and_admin_only()
    {
        using var bad = await stack.Http.PostAsJsonAsync(Browsers, new
        {
            name = "", type = "chromim", deviceDescriptor = "pixel 7", viewport = new { width = 0, height = 9000 },
        });
        var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("did you mean 'chromium'", errors.GetProperty("type")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("did you mean 'Pixel 7'", errors.GetProperty("deviceDescriptor")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("name", out _) && errors.TryGetProperty("viewport.width", out _) && errors.TryGetProperty("viewport.height", out _));

        using var firefoxPhone = await stack.Http.PostAsJsonAsync(Browsers, new { name = $"ff-{Guid.NewGuid():N}"[..20], type = "firefox", deviceDescriptor = "Pixel 7" });
        Assert.Equal(HttpStatusCode.BadRequest, firefoxPhone.StatusCode);

        using var taken = await stack.Http.PostAsJsonAsync(Browsers, new { name = "chromium", type = "chromium" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);

        // Created inactive, stored inactive: false is a value, not "unset" (the column's default is true).
        using var inactive = await stack.Http.PostAsJsonAsync(Browsers, new { name = $"off-{Guid.NewGuid():N}"[..20], type = "chromium", isActive = false });
        Assert.Equal(HttpStatusCode.Created, inactive.StatusCode);
        var inactiveId = (await inactive.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        Assert.False(await stack.Database.ScalarAsync<bool>("SELECT is_active FROM browser_types WHERE id = @p0", inactiveId));

        var (tenant, _, _) = await stack.TenantAsync("submit,read");
        using var _t = tenant;
        using var forbidden = await tenant.PostAsJsonAsync(Browsers, new { name = "Mine", type = "chromium" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var notAdmin = await tenant.DeleteAsync(new Uri("/api/v1/browsers/1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
    }

    [Fact]
    public async Task A_type_created_and_deactivated_on_one_api_copy_is_seen_by_another_at_once()
    {
        var (other, otherAddress) = await stack.StartExtraApiAsync([]);
        await using var _o = other;
        using var second = StackFixture.CreateClient(otherAddress, stack.BootstrapAdminKey);

        var name = $"Phone {Guid.NewGuid():N}"[..20];
        using var created = await stack.Http.PostAsJsonAsync(Browsers, new { name, type = "chromium", deviceDescriptor = "Pixel 7" });
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        var type = JsonDocument.Parse(text).RootElement;
        var id = type.GetProperty("id").GetInt32();
        Assert.True(id >= 100, $"id {id}");
        Assert.Equal("mobile", type.GetProperty("deviceType").GetString());
        Assert.Equal($"/api/v1/browsers/{id}", created.Headers.Location?.OriginalString);

        // The second copy caches the type by submitting for it.
        using (var accepted = await second.PostAsJsonAsync(Jobs, Visit(id)))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using (var renamed = await stack.Http.PatchAsJsonAsync(new Uri($"/api/v1/browsers/{id}", UriKind.Relative), new { viewport = new { width = 400, height = 800 } }))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
            Assert.Equal(400, JsonDocument.Parse(await renamed.Content.ReadAsStringAsync()).RootElement.GetProperty("viewport").GetProperty("width").GetInt32());
        }

        using (var deactivated = await stack.Http.DeleteAsync(new Uri($"/api/v1/browsers/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
            Assert.False(JsonDocument.Parse(await deactivated.Content.ReadAsStringAsync()).RootElement.GetProperty("isActive").GetBoolean());
        }

        // Listings read the table itself; submissions go through each copy's cache.
        var listed = await second.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/browsers/{id}", UriKind.Relative));
        Assert.False(listed.GetProperty("isActive").GetBoolean());
        string? refusal = null;
        var refused = false;
        await Wait.UntilAsync(async () =>
            {
                using var response = await second.PostAsJsonAsync(Jobs, Visit(id));
                refusal = await response.Content.ReadAsStringAsync();
                refused = response.StatusCode == HttpStatusCode.UnprocessableEntity;
                return refused || response.StatusCode != HttpStatusCode.Accepted;
            },
            TimeSpan.FromSeconds(5), "the other API copy to refuse the deactivated type");
        Assert.True(refused, refusal);
        Assert.Contains(name, refusal, StringComparison.Ordinal);
        Assert.Contains("deactivated", refusal, StringComparison.Ordinal);

        using var reactivated = await stack.Http.PatchAsJsonAsync(new Uri($"/api/v1/browsers/{id}", UriKind.Relative), new { isActive = true });
        Assert.Equal(HttpStatusCode.OK, reactivated.StatusCode);
        await Wait.UntilAsync(async () =>
            {
                using var response = await second.PostAsJsonAsync(Jobs, Visit(id));
                return response.StatusCode == HttpStatusCode.Accepted;
            },
            TimeSpan.FromSeconds(5), "the other API copy to accept the reactivated type");
    }

    [Fact]
    public async Task A_key_revoked_on_one_api_copy_is_refused_by_another_within_seconds()
    {
        var (other, otherAddress) = await stack.StartExtraApiAsync([]);
        await using var _o = other;
        var owner = $"revoke-{Guid.NewGuid():N}"[..20];
        var (keyId, key) = await stack.CreateKeyAsync(owner, "read");
        using var client = StackFixture.CreateClient(otherAddress, key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Jobs)).StatusCode);

        using (var revoked = await stack.Http.DeleteAsync(new Uri($"/api/v1/keys/{keyId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        await Wait.UntilAsync(async () => (await client.GetAsync(Jobs)).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(5), "the other API copy to refuse the revoked key");
    }

    [Fact]
    public async Task Polling_at_5_hz_is_never_throttled_while_submissions_keep_their_own_limit()
    {
        var (client, _, _) = await stack.TenantAsync("submit,read", rateLimitMax: 2, rateLimitWindowMs: 60_000);
        using var _c = client;
        using (var first = await client.PostAsJsonAsync(Jobs, Visit(1)))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            // The key's window starts with this request, not at a boundary of the clock: nearly all of it is left.
            Assert.InRange(long.Parse(first.Headers.GetValues("X-RateLimit-Reset").Single(), CultureInfo.InvariantCulture), 55, 60);
            var job = new Uri($"/api/v1/jobs/{JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("jobId").GetGuid()}",
                UriKind.Relative);
            // 20 polls, 200 ms apart: ten times the key's submission limit.
            for (var i = 0; i < 20; i++)
            {
                using var poll = await client.GetAsync(job);
                Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
                await Task.Delay(200);
            }
        }

        using (var second = await client.PostAsJsonAsync(Jobs, Visit(1)))
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        }

        using var third = await client.PostAsJsonAsync(Jobs, Visit(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("2 requests per 60 s", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
