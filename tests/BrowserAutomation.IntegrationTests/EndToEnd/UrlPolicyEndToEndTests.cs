using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BrowserAutomation.IntegrationTests.Automation;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// The URL policy in the running processes (URL_ALLOWED_NETWORKS=127.0.0.1/32 for both): the API refuses a denied
/// literal address before storing anything, and the worker's egress proxy refuses a redirect and a subresource to a
/// denied loopback alias, whose listener must see no connection.
/// </summary>
[Collection(StackDefinition.Name)]
public sealed class UrlPolicyEndToEndTests(StackFixture stack) : IAsyncLifetime
{
    private LoopbackTargets _targets = null!;

    public async Task InitializeAsync()
    {
        _targets = await LoopbackTargets.StartAsync();
        _targets.Redirect("/to-denied", 302, $"{_targets.DeniedBase}/secret");
        _targets.Page("/with-image", $"""<!doctype html><html><head><title>Image</title></head><body><img src="{_targets.DeniedBase}/pixel.png"></body></html>""");
    }

    public async Task DisposeAsync() => await _targets.DisposeAsync();

    [Theory]
    [InlineData("http://127.0.0.2:{0}/")]
    [InlineData("http://2130706434:{0}/")]
    [InlineData("http://[::1]:{0}/")]
    [InlineData("file:///etc/passwd")]
    public async Task A_denied_url_is_400_url_blocked_and_nothing_is_stored(string template)
    {
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _targets.Port);
        var reference = Guid.NewGuid().ToString("N");
        using var response = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative),
            new { browserTypeId = 1, url, clientReference = reference, actions = new[] { new { action = "screenshot" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("url")[0].GetString();
        Assert.True(message!.StartsWith("url_blocked: ", StringComparison.Ordinal) || message.Contains("http or https", StringComparison.Ordinal), message);
        Assert.Equal(0L, await stack.Database.ScalarAsync<long>("select count(*) from automation_jobs where client_reference = @p0", reference));
        Assert.Equal(0, _targets.DeniedConnections);
    }

    [Fact]
    public async Task A_redirect_to_a_denied_address_fails_the_job_as_url_blocked_without_reaching_it()
    {
        var jobId = await stack.SubmitAsync(new { browserTypeId = 1, url = $"{_targets.AllowedBase}/to-denied", maxRetries = 0, actions = Array.Empty<object>() });
        var job = await stack.WaitForFinalStatusAsync(jobId);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("url_blocked", job.GetProperty("error").GetProperty("details").GetProperty("errorType").GetString());
        Assert.Contains("127.0.0.2", job.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(_targets.AllowedConnections > 0, "the allowed page was never fetched");
        Assert.Equal(0, _targets.DeniedConnections);
    }

    [Fact]
    public async Task A_subresource_on_a_denied_address_is_listed_as_blocked_and_the_job_completes()
    {
        var jobId = await stack.SubmitAsync(new { browserTypeId = 1, url = $"{_targets.AllowedBase}/with-image", actions = new[] { new { action = "screenshot" } } });
        var job = await stack.WaitForFinalStatusAsync(jobId);

        Assert.Equal("completed", job.GetProperty("status").GetString());
        var blocked = job.GetProperty("result").GetProperty("blockedRequests").EnumerateArray().ToList();
        Assert.Contains(blocked, b => b.GetProperty("url").GetString()!.Contains("/pixel.png", StringComparison.Ordinal));
        Assert.Equal(0, _targets.DeniedConnections);
    }
}
