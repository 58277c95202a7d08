using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>Through the API and worker: a failed assertion's error type, screenshot, retained trace, console and page errors.</summary>
[Collection(StackDefinition.Name)]
public sealed class InspectionEndToEndTests(StackFixture stack)
{
    [Fact]
    public async Task A_failed_assertion_reaches_the_client_with_its_screenshot_trace_console_and_page_errors()
    {
        var jobId = await stack.SubmitAsync(new
        {
            browserTypeId = 1,
            url = stack.Site.Url("/inventory"),
            maxRetries = 0,
            options = new { trace = "retain-on-failure" },
            actions = new object[]
            {
                new { action = "extract", name = "products", target = ".product", read = "count" },
                new { action = "assert", expect = "count", target = ".product", count = 5, timeoutMs = 500 },
            },
        });

        var job = await stack.WaitForFinalStatusAsync(jobId, TimeSpan.FromSeconds(90));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        var error = job.GetProperty("error");
        Assert.Equal("assertion_failed", error.GetProperty("details").GetProperty("errorType").GetString());
        Assert.Contains("to be 5, but 3 matched", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var result = job.GetProperty("result");
        Assert.Equal(1, result.GetProperty("steps")[1].GetProperty("index").GetInt32());
        Assert.Contains(result.GetProperty("console").EnumerateArray(), c => c.GetProperty("text").GetString() == "inventory ready");
        Assert.Contains(result.GetProperty("pageErrors").EnumerateArray(),
            e => e.GetProperty("message").GetString()!.Contains("inventory exploded", StringComparison.Ordinal));
        var artifacts = result.GetProperty("artifacts").EnumerateArray().ToList();
        Assert.Contains(artifacts, a => a.GetProperty("artifactType").GetString() == "failure-screenshot");
        var trace = Assert.Single(artifacts, a => a.GetProperty("artifactType").GetString() == "trace");
        var bytes = await stack.Http.GetByteArrayAsync(new Uri(trace.GetProperty("url").GetString()!, UriKind.Relative));
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);
    }

    [Fact]
    public async Task A_trace_of_a_job_that_types_form_values_is_refused_at_submission()
    {
        using var response = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), new
        {
            browserTypeId = 1,
            url = stack.Site.Url("/login"),
            options = new { trace = "on" },
            actions = new object[] { new { action = "fill", target = "#password", value = "s3cret" } },
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("form values", problem.GetProperty("errors").GetProperty("options.trace")[0].GetString(), StringComparison.Ordinal);
    }
}
