using System.Net.Http.Json;
using System.Text.Json;
using BrowserAutomation.Persistence.Messaging;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// Form values, cookies and credentials are encrypted before they are stored or published: they are absent from
/// automation_jobs, from the JobRequested message on the broker (the outbox body) and from the job's views and logs,
/// yet the worker types them into the page.
/// </summary>
[Collection(StackDefinition.Name)]
public sealed class SecretsAtRestTests(StackFixture stack)
{
    [Fact]
    public async Task Secrets_are_used_by_the_browser_but_stored_and_published_only_encrypted()
    {
        var run = Guid.NewGuid().ToString("N")[..10];
        string user = $"user-{run}", password = $"pw-{run}", cookie = $"cookie-{run}", header = $"header-{run}", basic = $"basic-{run}";
        var tap = await stack.VirtualHost.TapAsync(BusTopology.JobRequestedExchange, "chromium");

        var jobId = await stack.SubmitAsync(new
        {
            browserTypeId = 1,
            url = stack.Site.Url("/login"),
            options = new
            {
                cookies = new[] { new { name = "session", value = cookie, url = stack.Site.Url("/") } },
                extraHttpHeaders = new Dictionary<string, string> { ["X-Secret"] = header },
                httpCredentials = new { username = "alice", password = basic },
            },
            actions = new object[]
            {
                new { action = "fill", target = "Username", getTargetBy = "getByLabel", value = user },
                new { action = "fill", target = "#password", value = password },
                new { action = "click", target = "Sign in", getTargetBy = "getByText" },
                new { action = "extract", name = "greeting", target = "#greeting" },
            },
        });
        var job = await stack.WaitForFinalStatusAsync(jobId);

        // The browser had the clear value: the page greets the user it was given.
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal($"Welcome, {user}!", job.GetProperty("result").GetProperty("extracted").GetProperty("greeting").GetString());

        string[] secrets = [user, password, cookie, header, basic];
        var stored = await stack.Database.ScalarAsync<string>(
            "select actions::text || coalesce(options::text, '') from automation_jobs where id = @p0", jobId);
        var published = string.Join("\n", await stack.VirtualHost.TakeAsync(tap));
        var logs = await stack.Http.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}/logs", UriKind.Relative));
        var view = job.GetRawText();

        Assert.Contains(jobId.ToString(), published, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("enc:v1:", stored, StringComparison.Ordinal);
        Assert.Contains("enc:v1:", published, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, published, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            // The view's extracted greeting legitimately quotes the user name the page echoed.
            if (secret != user)
            {
                Assert.DoesNotContain(secret, view, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(secret, stack.Api.Tail, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, stack.Worker.Tail, StringComparison.Ordinal);
        }
    }
}
