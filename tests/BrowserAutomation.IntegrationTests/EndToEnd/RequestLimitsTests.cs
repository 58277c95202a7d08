using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>Request-level limits of the running API: body size (413), actions per job and job timeout (400).</summary>
[Collection(StackDefinition.Name)]
public sealed class RequestLimitsTests(StackFixture stack)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_the_limit_is_413_problem_json_and_stores_nothing(bool chunked)
    {
        var before = await TotalJobsAsync();
        // A well-formed job whose fill value alone goes past the default 1 MB limit.
        var json = JsonSerializer.Serialize(new
        {
            browserTypeId = 1,
            url = stack.Site.Url("/page"),
            actions = new object[] { new { action = "fill", target = "#q", value = new string('x', (1024 + 64) * 1024) } },
        });
        using HttpContent content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)))
            : new StringContent(json, Encoding.UTF8, "application/json");
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (chunked)
        {
            content.Headers.ContentLength = null;
        }

        // The API refuses an announced length at once and closes the connection, so the client waits for the
        // interim answer before sending (Expect: 100-continue, as curl does for large bodies) instead of racing the
        // close with its upload. A chunked body is read up to the limit; only the last 64 KB are unread then.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/jobs", UriKind.Relative)) { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("detail", out _), problem.ToString());
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Contains("1048576 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await TotalJobsAsync());
    }

    [Fact]
    public async Task Too_many_actions_is_400_naming_the_limit()
    {
        var actions = Enumerable.Range(0, 101).Select(_ => new { action = "wait", milliseconds = 1 }).ToArray();
        using var response = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative),
            new { browserTypeId = 1, url = stack.Site.Url("/page"), actions });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("At most 100 actions", problem.GetProperty("errors").GetProperty("actions")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_over_the_maximum_is_400()
    {
        using var response = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative),
            new { browserTypeId = 1, url = stack.Site.Url("/page"), timeoutMs = 3_600_000, actions = new[] { new { action = "wait", milliseconds = 1 } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("timeoutMs", problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    private async Task<int> TotalJobsAsync() =>
        (await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/jobs?limit=1", UriKind.Relative))).GetProperty("total").GetInt32();
}
