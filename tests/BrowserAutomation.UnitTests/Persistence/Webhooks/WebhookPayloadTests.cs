using System.Text.Json;
using BrowserAutomation.Persistence.Jobs;
using BrowserAutomation.Persistence.Webhooks;

namespace BrowserAutomation.UnitTests.Persistence.Webhooks;

public sealed class WebhookPayloadTests
{
    [Fact]
    public void A_failure_carries_status_error_and_links_but_never_the_steps_or_options()
    {
        var job = new AutomationJob
        {
            Id = Guid.NewGuid(),
            TargetUrl = "https://example.com/login",
            Actions = """[{"action":"fill","target":"#password","value":"hunter2-secret"}]""",
            Options = """{"context":{"httpCredentials":{"username":"u","password":"p4ss-secret"}}}""",
            CurrentState = JobStates.Failed,
            ErrorType = "selector_not_found",
            ErrorMessage = "No element matches #submit",
            ClientReference = "order-17",
            Result = """{"durationMs":1234,"title":"Login","failedStepIndex":1,"artifacts":[{"artifactId":"6f1c1b3e-8a5f-4a53-9d3e-2a1b3c4d5e6f","artifactType":"screenshot","fileName":"failure.png","mimeType":"image/png","sizeBytes":10}]}""",
        };

        var body = WebhookPayload.Build(WebhookEvents.Failed, job, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        var root = JsonDocument.Parse(body).RootElement;

        Assert.Equal("job.failed", root.GetProperty("type").GetString());
        var data = root.GetProperty("data");
        Assert.Equal(job.Id, data.GetProperty("jobId").GetGuid());
        Assert.Equal("failed", data.GetProperty("status").GetString());
        Assert.Equal("order-17", data.GetProperty("clientReference").GetString());
        Assert.Equal("selector_not_found", data.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(1, data.GetProperty("result").GetProperty("failedStepIndex").GetInt32());
        Assert.Equal($"/api/v1/jobs/{job.Id}/artifacts/6f1c1b3e-8a5f-4a53-9d3e-2a1b3c4d5e6f",
            data.GetProperty("result").GetProperty("artifacts")[0].GetProperty("url").GetString());
        Assert.Equal($"/api/v1/jobs/{job.Id}/webhooks", data.GetProperty("links").GetProperty("webhooks").GetString());
        Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("#password", body, StringComparison.Ordinal);
    }
}
