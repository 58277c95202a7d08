using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>Retries, cancellation, listing, logs, idempotency, workers and live status against the running processes.</summary>
[Collection(StackDefinition.Name)]
public sealed class LifecycleTests(StackFixture stack)
{
    private static object Visit(string url, int? maxRetries = null, int timeoutMs = 10_000, int browserTypeId = 1) =>
        new { browserTypeId, actionType = "visit", payload = new { url }, maxRetries, timeoutMs };

    private async Task<List<JsonElement>> LogsAsync(Guid jobId) =>
        (await stack.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/jobs/{jobId}/logs", UriKind.Relative)))
        .GetProperty("data").EnumerateArray().ToList();

    [Fact]
    public async Task A_transient_failure_is_retried_with_growing_delays_and_then_succeeds()
    {
        var id = Guid.NewGuid().ToString("N");
        var jobId = await stack.SubmitAsync(Visit(stack.Faults.Url($"/flaky?id={id}&fail=2")));

        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(2, job.GetProperty("retryCount").GetInt32());
        Assert.Equal(3, job.GetProperty("attempt").GetInt32());
        Assert.Equal(3, stack.Faults.Hits(id));

        var delays = (await LogsAsync(jobId))
            .Where(l => l.GetProperty("metadata").ValueKind == JsonValueKind.Object && l.GetProperty("metadata").TryGetProperty("delayMs", out _))
            .Select(l => l.GetProperty("metadata").GetProperty("delayMs").GetInt64())
            .ToList();
        Assert.Equal(2, delays.Count);
        // Base 200 ms doubling, ±20 % jitter: the second wait is always longer than the first.
        Assert.True(delays[1] > delays[0], $"delays {string.Join(", ", delays)}");
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried()
    {
        var jobId = await stack.SubmitAsync(new
        {
            browserTypeId = 1, actionType = "screenshot", timeoutMs = 15_000,
            payload = new { url = stack.Site.Url("/page"), selector = "#does-not-exist" },
        });

        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(0, job.GetProperty("retryCount").GetInt32());
        var error = job.GetProperty("error");
        Assert.Equal("JobExecutionError", error.GetProperty("error").GetString());
        Assert.Equal("selector_not_found", error.GetProperty("details").GetProperty("errorType").GetString());
        Assert.False(error.GetProperty("details").GetProperty("canRetry").GetBoolean());
        Assert.Equal(jobId, error.GetProperty("details").GetProperty("jobId").GetGuid());
    }

    [Fact]
    public async Task A_job_whose_every_attempt_fails_ends_failed_with_retry_count_at_max_retries()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var jobId = await stack.SubmitAsync(Visit($"http://127.0.0.1:{closedPort}/", maxRetries: 2));
        var job = await stack.WaitForFinalStatusAsync(jobId);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(2, job.GetProperty("retryCount").GetInt32());
        Assert.Equal("navigation_failed", job.GetProperty("error").GetProperty("details").GetProperty("errorType").GetString());
        var logs = await LogsAsync(jobId);
        var retries = logs.Where(l => l.GetProperty("level").GetString() == "warn"
                                      && l.GetProperty("message").GetString()!.Contains("; retry ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.Single(logs, l => l.GetProperty("level").GetString() == "error"
                                 && l.GetProperty("message").GetString() == $"Attempt 3 failed: navigation_failed: {job.GetProperty("error").GetProperty("message").GetString()}");
    }

    [Fact]
    public async Task Cancelling_a_pending_job_then_cancelling_again()
    {
        // A firefox worker is registered (so the API accepts the job) but none consumes here, so this job stays pending.
        var worker = await EndToEndTests.RegisterBusyWorkerAsync(stack, browserTypeId: 2);
        Guid jobId;
        try
        {
            jobId = await stack.SubmitAsync(Visit(stack.Site.Url("/page"), browserTypeId: 2));
        }
        finally
        {
            await EndToEndTests.RemoveWorkerAsync(stack, worker);
        }

        using var cancel = await stack.Http.DeleteAsync(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("cancelled", (await stack.GetJobAsync(jobId)).GetProperty("status").GetString());

        using var again = await stack.Http.DeleteAsync(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("cancelled", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        using var unknown = await stack.Http.DeleteAsync(new Uri($"/api/v1/jobs/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Cancelling_a_processing_job_aborts_its_page_and_it_ends_cancelled()
    {
        var jobId = await stack.SubmitAsync(Visit(stack.Faults.Url("/slow?ms=30000"), timeoutMs: 60_000));
        await Wait.UntilAsync(async () => (await stack.GetJobAsync(jobId)).GetProperty("status").GetString() == "processing",
            TimeSpan.FromSeconds(30), "the job to start");

        var clock = Stopwatch.StartNew();
        using var cancel = await stack.Http.DeleteAsync(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);

        await Wait.UntilAsync(async () => (await LogsAsync(jobId)).Any(l => l.GetProperty("message").GetString()!.Contains("aborted", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15), "the worker to abort the page");
        var abortedAfter = clock.Elapsed;

        var job = await stack.GetJobAsync(jobId);
        Assert.Equal("cancelled", job.GetProperty("status").GetString());
        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_artifacts WHERE job_id = @p0", jobId));
        Console.WriteLine($"processing job aborted {abortedAfter.TotalMilliseconds:0} ms after DELETE returned");
    }

    [Fact]
    public async Task Cancelling_a_finished_job_is_a_conflict()
    {
        var jobId = await stack.SubmitAsync(Visit(stack.Site.Url("/page")));
        Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(jobId)).GetProperty("status").GetString());

        using var cancel = await stack.Http.DeleteAsync(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal("completed", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Jobs_are_listed_newest_first_with_filters_and_paging()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await stack.SubmitAsync(Visit(stack.Site.Url("/page"))));
        }

        foreach (var id in ids)
        {
            await stack.WaitForFinalStatusAsync(id);
        }

        var page = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/jobs?status=completed&browserTypeId=1&limit=2&page=1", UriKind.Relative));
        var data = page.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, data.Count);
        Assert.Equal(ids[2], data[0].GetProperty("id").GetGuid());
        Assert.Equal(ids[1], data[1].GetProperty("id").GetGuid());
        Assert.All(data, d => Assert.Equal("completed", d.GetProperty("status").GetString()));
        Assert.True(page.GetProperty("total").GetInt32() >= 3);
        Assert.Equal(2, page.GetProperty("limit").GetInt32());

        var capped = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/jobs?limit=5000", UriKind.Relative));
        Assert.Equal(100, capped.GetProperty("limit").GetInt32());

        using var bad = await stack.Http.GetAsync(new Uri("/api/v1/jobs?status=done&page=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("status", out _));
        Assert.True(errors.TryGetProperty("page", out _));
    }

    [Fact]
    public async Task The_log_tells_the_story_of_a_job_and_form_values_are_never_shown()
    {
        var jobId = await stack.SubmitAsync(new
        {
            browserTypeId = 1,
            url = stack.Site.Url("/page"),
            actions = new object[] { new { action = "wait", milliseconds = 1 } },
            options = new
            {
                cookies = new[] { new { name = "session", value = "s3cr3t-cookie", url = stack.Site.Url("/") } },
                httpCredentials = new { username = "alice", password = "hunter2" },
                extraHttpHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer t0ken" },
            },
        });
        await stack.WaitForFinalStatusAsync(jobId);

        var messages = (await LogsAsync(jobId)).Select(l => l.GetProperty("message").GetString()).ToList();
        Assert.Equal("Job accepted", messages[0]);
        Assert.Contains(messages, m => m!.Contains("picked up", StringComparison.Ordinal));
        Assert.Contains(messages, m => m == "Attempt 1 started");
        Assert.Contains(messages, m => m == "Attempt 1 completed");

        var shown = await stack.Http.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative));
        var logs = await stack.Http.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}/logs", UriKind.Relative));
        foreach (var secret in new[] { "s3cr3t-cookie", "hunter2", "t0ken" })
        {
            Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }

        Assert.Contains("[redacted]", shown, StringComparison.Ordinal);
        using var unknown = await stack.Http.GetAsync(new Uri($"/api/v1/jobs/{Guid.NewGuid()}/logs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_return_the_same_job()
    {
        var key = Guid.NewGuid().ToString();
        var body = JsonSerializer.Serialize(Visit(stack.Site.Url("/page")));

        async Task<HttpResponseMessage> Post(string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/jobs", UriKind.Relative))
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await stack.Http.SendAsync(request);
        }

        using var first = await Post(body);
        using var second = await Post(body);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        Assert.Equal(firstId, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());

        using var different = await Post(JsonSerializer.Serialize(Visit(stack.Site.Url("/tall"))));
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        Assert.Equal(1, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE idempotency_key = @p0", key));
    }

    [Fact]
    public async Task Workers_register_and_report_their_state()
    {
        var workers = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/workers", UriKind.Relative));
        var live = workers.GetProperty("data").EnumerateArray().Where(w => w.GetProperty("status").GetString() != "offline").ToList();
        var chromium = Assert.Single(live);
        Assert.Equal("Chromium", chromium.GetProperty("browserType").GetString());
        Assert.Equal("chromium", chromium.GetProperty("metadata").GetProperty("engine").GetString());

        var stats = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/workers/stats", UriKind.Relative));
        Assert.Equal(1, stats.GetProperty("totalWorkers").GetInt32());
        Assert.Equal(1, stats.GetProperty("idleWorkers").GetInt32() + stats.GetProperty("busyWorkers").GetInt32());
        Assert.Equal(1, stats.GetProperty("byBrowserType").GetProperty("Chromium").GetProperty("total").GetInt32());

        // While a slow job runs, the worker reports busy with that job.
        var jobId = await stack.SubmitAsync(Visit(stack.Faults.Url("/slow?ms=4000")));
        await Wait.UntilAsync(async () =>
            {
                var w = (await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/workers", UriKind.Relative))).GetProperty("data").EnumerateArray();
                return w.Any(x => x.GetProperty("status").GetString() == "busy" && x.GetProperty("currentJobId").ValueKind == JsonValueKind.String
                                  && x.GetProperty("currentJobId").GetGuid() == jobId);
            },
            TimeSpan.FromSeconds(20), "the worker to report busy with the slow job");
        await stack.WaitForFinalStatusAsync(jobId);
    }

    [Fact]
    public async Task A_live_stream_shows_every_transition_in_order()
    {
        var jobId = await stack.SubmitAsync(new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Faults.Url("/slow?ms=500") } });

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/jobs/{jobId}/events", UriKind.Relative));
        using var response = await stack.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var events = new List<JsonElement>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                events.Add(JsonDocument.Parse(line["data:".Length..]).RootElement.Clone());
            }
        }

        var statuses = events.Select(e => e.GetProperty("status").GetString()).ToList();
        var versions = events.Select(e => e.GetProperty("version").GetInt32()).ToList();
        Assert.Equal("completed", statuses[^1]);
        Assert.Contains("processing", statuses);
        Assert.Equal(versions.Order().ToList(), versions);
        Assert.Equal(versions.Distinct().Count(), versions.Count);
        // The stream starts at the state the job had when it opened and misses no transition after it.
        Assert.Equal(versions[0] + versions.Count - 1, versions[^1]);
    }

    [Fact]
    public async Task A_worker_killed_mid_job_leaves_the_job_to_be_redone_and_it_completes_exactly_once()
    {
        var jobId = await stack.SubmitAsync(new
        {
            browserTypeId = 1, actionType = "screenshot", timeoutMs = 60_000,
            payload = new { url = stack.Faults.Url("/slow?ms=3000"), viewport = new { width = 320, height = 240 } },
        });
        await Wait.UntilAsync(async () => (await stack.GetJobAsync(jobId)).GetProperty("status").GetString() == "processing",
            TimeSpan.FromSeconds(30), "the job to start");

        await stack.Worker.KillAsync();
        await stack.RestartWorkerAsync();

        var job = await stack.WaitForFinalStatusAsync(jobId, TimeSpan.FromSeconds(90));
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(1, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_artifacts WHERE job_id = @p0", jobId));
        Assert.Equal(1, await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM job_logs WHERE job_id = @p0 AND message LIKE 'Attempt % completed'", jobId));
    }

    [Fact]
    public async Task With_PostgreSQL_unreachable_the_API_answers_503_and_recovers_without_losing_jobs()
    {
        var accepted = await stack.SubmitAsync(Visit(stack.Site.Url("/page")));
        stack.DatabaseLink.Disable();
        try
        {
            using var post = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), Visit(stack.Site.Url("/page")));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
            Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(post.Headers.RetryAfter);
            var body = await post.Content.ReadAsStringAsync();
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);

            using var get = await stack.Http.GetAsync(new Uri($"/api/v1/jobs/{accepted}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
        }
        finally
        {
            stack.DatabaseLink.Enable();
        }

        Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(accepted, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());
        var after = await stack.SubmitAsync(Visit(stack.Site.Url("/page")));
        Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(after)).GetProperty("status").GetString());
    }
}
