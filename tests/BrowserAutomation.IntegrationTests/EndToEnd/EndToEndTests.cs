using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BrowserAutomation.IntegrationTests.Automation;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>Jobs over HTTP against the running API and worker processes.</summary>
[Collection(StackDefinition.Name)]
public sealed class EndToEndTests(StackFixture stack)
{
    private static readonly string[] ExpectedQueues = ["jobs-chromium", "jobs-firefox", "jobs-webkit", "job-state"];

    [Fact]
    public async Task A_png_screenshot_job_completes_and_downloads_at_the_requested_size()
    {
        var jobId = await stack.SubmitAsync(new
        {
            browserTypeId = 1,
            actionType = "screenshot",
            payload = new { url = stack.Site.Url("/page"), viewport = new { width = 800, height = 600 } },
        });

        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        var result = job.GetProperty("result");
        Assert.True(result.GetProperty("duration").GetInt64() > 0);
        Assert.Equal(200, result.GetProperty("httpStatus").GetInt32());
        Assert.Equal(TestSite.PageTitle, result.GetProperty("title").GetString());
        Assert.NotEqual(JsonValueKind.Null, job.GetProperty("startedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, job.GetProperty("completedAt").ValueKind);

        using var download = await stack.Http.GetAsync(new Uri(result.GetProperty("screenshotUrl").GetString()!, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        var png = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal((800, 600), ImageHeaders.PngSize(png));

        // The file-name form (screenshotUrl) of the same artifact.
        var byName = await stack.Http.GetByteArrayAsync(new Uri($"/api/v1/jobs/{jobId}/artifacts/screenshot.png", UriKind.Relative));
        Assert.Equal(png, byName);
    }

    [Fact]
    public async Task A_jpeg_screenshot_with_quality_is_a_valid_jpeg()
    {
        var jobId = await stack.SubmitAsync(new
        {
            browserTypeId = 1,
            actionType = "screenshot",
            payload = new { url = stack.Site.Url("/page"), format = "jpeg", quality = 60, viewport = new { width = 640, height = 480 } },
        });

        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        var artifact = Assert.Single(job.GetProperty("result").GetProperty("artifacts").EnumerateArray());
        Assert.Equal("image/jpeg", artifact.GetProperty("mimeType").GetString());

        using var download = await stack.Http.GetAsync(new Uri(artifact.GetProperty("url").GetString()!, UriKind.Relative));
        Assert.Equal("image/jpeg", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal((640, 480), ImageHeaders.JpegSize(await download.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_full_page_screenshot_through_the_action_list_form_covers_the_page()
    {
        var jobId = await stack.SubmitAsync(new
        {
            browserTypeId = 1,
            url = stack.Site.Url("/tall"),
            viewport = new { width = 800, height = 600 },
            actions = new object[] { new { action = "wait", milliseconds = 10 }, new { action = "screenshot", fullPage = true } },
        });

        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal("actions", job.GetProperty("actionType").GetString());
        Assert.Equal(2, job.GetProperty("result").GetProperty("steps").GetArrayLength());
        var png = await stack.Http.GetByteArrayAsync(new Uri(job.GetProperty("result").GetProperty("screenshotUrl").GetString()!, UriKind.Relative));
        Assert.Equal((800, TestSite.TallHeight), ImageHeaders.PngSize(png));
    }

    [Fact]
    public async Task A_page_on_a_closed_port_fails_as_navigation_failed()
    {
        var closedPort = ClosedPort();
        var jobId = await stack.SubmitAsync(new { browserTypeId = 1, actionType = "visit", maxRetries = 0, payload = new { url = $"http://127.0.0.1:{closedPort}/" } });

        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("navigation_failed", job.GetProperty("error").GetProperty("details").GetProperty("errorType").GetString());
        // Through the worker's egress proxy a refused upstream connection reaches the browser as a reset connection.
        Assert.Contains("ERR_CONNECTION_RESET", job.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_submitted_while_RabbitMQ_is_unreachable_are_accepted_and_complete_exactly_once_after_it_returns()
    {
        stack.Broker.Disable();
        var jobs = new List<Guid>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                jobs.Add(await stack.SubmitAsync(new
                {
                    browserTypeId = 1, actionType = "screenshot", payload = new { url = stack.Site.Url("/page"), viewport = new { width = 320, height = 240 } },
                }));
            }

            foreach (var id in jobs)
            {
                Assert.Equal("pending", (await stack.GetJobAsync(id)).GetProperty("status").GetString());
            }
        }
        finally
        {
            stack.Broker.Enable();
        }

        foreach (var id in jobs)
        {
            Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(id, TimeSpan.FromSeconds(120))).GetProperty("status").GetString());
        }

        foreach (var id in jobs)
        {
            Assert.Equal(1, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_artifacts WHERE job_id = @p0", id));
            Assert.Equal(1, await stack.Database.ScalarAsync<long>(
                "SELECT count(*) FROM job_logs WHERE job_id = @p0 AND message LIKE 'Attempt % completed'", id));
        }
    }

    [Fact]
    public async Task Invalid_requests_get_problem_details_naming_the_field()
    {
        using var missing = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative),
            new { actionType = "screenshot", payload = new { url = "file:///etc/passwd" }, priority = 99 });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var errors = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("browserTypeId", out _));
        Assert.True(errors.TryGetProperty("payload.url", out _));
        Assert.True(errors.TryGetProperty("priority", out _));

        using var unknownBrowser = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative),
            new { browserTypeId = 999, actionType = "visit", payload = new { url = "http://127.0.0.1/" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknownBrowser.StatusCode);
        Assert.Contains("999", await unknownBrowser.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var malformed = await stack.Http.PostAsync(new Uri("/api/v1/jobs", UriKind.Relative),
            new StringContent("""{"browserTypeId": "one"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("browserTypeId", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var truncated = await stack.Http.PostAsync(new Uri("/api/v1/jobs", UriKind.Relative),
            new StringContent("""{"browserTypeId": 1, "actionT""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
    }

    [Fact]
    public async Task Unknown_ids_are_404_problems()
    {
        using var job = await stack.Http.GetAsync(new Uri($"/api/v1/jobs/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, job.StatusCode);
        Assert.Equal("application/problem+json", job.Content.Headers.ContentType?.MediaType);

        using var artifact = await stack.Http.GetAsync(new Uri($"/api/v1/jobs/{Guid.NewGuid()}/artifacts/screenshot.png", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, artifact.StatusCode);

        using var browser = await stack.Http.GetAsync(new Uri("/api/v1/browsers/999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, browser.StatusCode);
    }

    [Fact]
    public async Task Browser_types_are_listed_in_the_data_shape()
    {
        var list = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/browsers", UriKind.Relative));
        var data = list.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["Chromium", "Firefox", "WebKit", "Mobile Chrome", "Mobile Firefox", "Mobile Safari"],
            data.Select(b => b.GetProperty("name").GetString()!).ToArray());

        var chromium = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/browsers/1", UriKind.Relative));
        Assert.Equal("chromium", chromium.GetProperty("type").GetString());
        Assert.Equal("desktop", chromium.GetProperty("deviceType").GetString());
        Assert.Equal(1920, chromium.GetProperty("viewport").GetProperty("width").GetInt32());
        Assert.True(chromium.GetProperty("isActive").GetBoolean());
    }

    [Fact]
    public async Task The_accepted_response_has_jobId_status_createdAt_and_a_location()
    {
        using var response = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative),
            new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var jobId = body.GetProperty("jobId").GetGuid();
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("createdAt").ValueKind);
        Assert.Equal($"/api/v1/jobs/{jobId}", response.Headers.Location?.ToString());
        Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Every_engine_has_a_visible_queue_and_a_job_for_an_engine_without_workers_waits_in_it()
    {
        await Wait.UntilAsync(async () =>
            {
                var queues = await stack.VirtualHost.QueueNamesAsync();
                return ExpectedQueues.All(queues.Contains);
            },
            TimeSpan.FromSeconds(30), "the per-engine queues to be declared");

        // A firefox worker is registered (so the API accepts the job) but no firefox process consumes here: the job
        // leaves the outbox (the broker routed it) and waits in jobs-firefox, still pending.
        var worker = await RegisterBusyWorkerAsync(stack, browserTypeId: 2);
        try
        {
            var jobId = await stack.SubmitAsync(new { browserTypeId = 2, actionType = "visit", payload = new { url = stack.Site.Url("/page") } });
            await Wait.UntilAsync(async () => await stack.Database.ScalarAsync<long>(
                    "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%:JobRequested%' AND body LIKE '%' || @p0 || '%'", jobId.ToString()) == 0,
                TimeSpan.FromSeconds(20), "the firefox job to be handed to RabbitMQ");
            Assert.Equal("pending", (await stack.GetJobAsync(jobId)).GetProperty("status").GetString());
        }
        finally
        {
            await RemoveWorkerAsync(stack, worker);
        }
    }

    /// <summary>A worker row with a fresh heartbeat, as a worker that exists but is busy elsewhere: the engine counts as served.</summary>
    internal static async Task<Guid> RegisterBusyWorkerAsync(StackFixture stack, int browserTypeId) =>
        await stack.Database.ScalarAsync<Guid>("""
            INSERT INTO browser_workers (id, browser_type_id, status, last_heartbeat, started_at, metadata)
            VALUES (gen_random_uuid(), @p0, 'busy', now(), now(), '{"available": true, "registeredBy": "test"}'::jsonb)
            RETURNING id
            """, browserTypeId);

    internal static async Task RemoveWorkerAsync(StackFixture stack, Guid workerId) =>
        await stack.Database.ScalarAsync<long>("WITH gone AS (DELETE FROM browser_workers WHERE id = @p0 RETURNING 1) SELECT count(*) FROM gone", workerId);

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
