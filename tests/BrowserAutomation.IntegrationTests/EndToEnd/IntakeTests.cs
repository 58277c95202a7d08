using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>Quotas shared by API copies and transports, and the batch endpoint, against the running API and worker.</summary>
[Collection(StackDefinition.Name)]
public sealed class IntakeTests(StackFixture stack)
{
    private static readonly Uri Jobs = new("/api/v1/jobs", UriKind.Relative);
    private static readonly Uri Batch = new("/api/v1/jobs/batch", UriKind.Relative);

    private object Visit(string? key = null) =>
        new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") }, idempotencyKey = key };

    [Fact]
    public async Task Two_API_copies_draw_on_one_rate_limit_window()
    {
        var (first, _, key) = await stack.TenantAsync("submit,read", rateLimitMax: 4, rateLimitWindowMs: 60_000);
        using var _f = first;
        var (api, address) = await stack.StartExtraApiAsync([]);
        try
        {
            using var second = StackFixture.CreateClient(address, key);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 6; i++)
            {
                // Invalid submissions create nothing but count like any other.
                using var response = await (i % 2 == 0 ? first : second).PostAsJsonAsync(Jobs, new { browserTypeId = 1 });
                statuses.Add(response.StatusCode);
                Assert.Equal("4", Assert.Single(response.Headers.GetValues("X-RateLimit-Limit")));
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
                    Assert.Equal("0", Assert.Single(response.Headers.GetValues("X-RateLimit-Remaining")));
                }
            }

            Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.BadRequest, 4), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
            // Reads have their own budget, on either copy.
            Assert.Equal(HttpStatusCode.OK, (await second.GetAsync(Jobs)).StatusCode);
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_bus_submission_over_the_owners_cap_is_rejected_naming_the_limit()
    {
        var (client, owner, _) = await stack.TenantAsync(maxConcurrentJobs: 1);
        using var _c = client;
        var pending = await stack.Database.InsertPendingJobAsync(owner);
        try
        {
            var rejected = await SubmitOnBusAsync(owner);
            Assert.Equal("too_many_active_jobs", rejected.GetProperty("code").GetString());
            Assert.Equal(1, rejected.GetProperty("limit").GetInt32());
            Assert.Contains("max concurrent jobs: 1", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await stack.Database.ScalarAsync<int>("WITH d AS (DELETE FROM automation_jobs WHERE id = @p0 RETURNING 1) SELECT count(*) FROM d", pending);
        }
    }

    [Fact]
    public async Task A_bus_submission_to_a_full_engine_backlog_is_rejected_as_queue_full()
    {
        var filler = $"filler-{Guid.NewGuid():N}"[..20];
        // The default bound (1000) of pending chromium jobs that nothing will run: rows without a message.
        await stack.Database.ScalarAsync<int>("""
            WITH i AS (INSERT INTO automation_jobs (id, owner, browser_type_id, engine, target_url, actions, status, created_at)
                       SELECT gen_random_uuid(), @p0, 1, 'chromium', 'http://127.0.0.1/', '[]', 'pending', now() FROM generate_series(1, 1000) RETURNING 1)
            SELECT count(*)::int FROM i
            """, filler);
        try
        {
            var rejected = await SubmitOnBusAsync(null);
            Assert.Equal("queue_full", rejected.GetProperty("code").GetString());
            Assert.Equal(1000, rejected.GetProperty("limit").GetInt32());
            Assert.Contains("QUEUE_MAX_DEPTH_PER_ENGINE", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await stack.Database.ScalarAsync<int>("WITH d AS (DELETE FROM automation_jobs WHERE owner = @p0 RETURNING 1) SELECT count(*)::int FROM d", filler);
        }
    }

    [Fact]
    public async Task The_cap_is_checked_against_an_upper_bound_of_active_jobs_that_is_recounted_when_it_leaves_no_room()
    {
        var (client, owner, _) = await stack.TenantAsync(maxConcurrentJobs: 2);
        using var _c = client;
        async Task<Guid> SubmitAsync()
        {
            using var response = await client.PostAsJsonAsync(Jobs, Visit());
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
            Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(id)).GetProperty("status").GetString());
            return id;
        }

        Task<int> BoundAsync() => stack.Database.ScalarAsync<int>("SELECT active FROM owner_active_bounds WHERE owner = @p0", owner);

        // Only admissions move the bound: two finished jobs still count in it.
        await SubmitAsync();
        await SubmitAsync();
        Assert.Equal(2, await BoundAsync());

        // It leaves no room under the cap of 2, so the active jobs are counted (none) and the bound starts from the count.
        await SubmitAsync();
        Assert.Equal(1, await BoundAsync());

        // A missing bound (a new owner, or the UNLOGGED table emptied by a crash) is counted too.
        await stack.Database.ScalarAsync<int>("WITH d AS (DELETE FROM owner_active_bounds WHERE owner = @p0 RETURNING 1) SELECT count(*)::int FROM d", owner);
        await SubmitAsync();
        Assert.Equal(1, await BoundAsync());
    }

    [Fact]
    public async Task Concurrent_single_submissions_of_one_owner_are_each_stored_once_and_a_shared_idempotency_key_makes_one_job()
    {
        // Submissions that arrive together are stored in shared transactions (group commit). Whatever groups form: every
        // distinct submission is one job, and the ones sharing a key (which would break a shared transaction) end as
        // one job that each of them is answered with.
        var (client, owner, _) = await stack.TenantAsync("submit,read", maxConcurrentJobs: 1_000);
        using var _c = client;
        var prefix = Guid.NewGuid().ToString("N");
        var shared = $"{prefix}-shared";
        var bodies = Enumerable.Range(0, 24).Select(i => Visit(i % 3 == 0 ? shared : $"{prefix}-{i}")).ToList();
        var responses = await Task.WhenAll(bodies.Select(async body =>
        {
            using var response = await client.PostAsJsonAsync(Jobs, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"POST answered {(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetGuid();
        }));

        var sharedIds = responses.Where((_, i) => i % 3 == 0).Distinct().ToList();
        Assert.Single(sharedIds);
        Assert.Equal(16, responses.Where((_, i) => i % 3 != 0).Distinct().Count());
        Assert.Equal(17, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE owner = @p0", owner));
        Assert.Equal(17, await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM job_logs l JOIN automation_jobs j ON j.id = l.job_id WHERE j.owner = @p0 AND l.message = 'Job accepted'", owner));
        foreach (var id in responses.Distinct())
        {
            Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(id)).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_batch_is_stored_all_at_once_and_sending_it_again_replays_the_same_jobs()
    {
        var (client, owner, _) = await stack.TenantAsync();
        using var _c = client;
        var prefix = Guid.NewGuid().ToString("N");
        var body = new { jobs = Enumerable.Range(0, 3).Select(i => Visit($"{prefix}-{i}")).ToArray() };

        using var created = await client.PostAsJsonAsync(Batch, body);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var first = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, first.GetProperty("created").GetInt32());
        var ids = first.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").GetGuid()).ToList();
        Assert.Equal(3, ids.Distinct().Count());

        using var again = await client.PostAsJsonAsync(Batch, body);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, second.GetProperty("replayed").GetInt32());
        Assert.Equal(ids, second.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").GetGuid()).ToList());
        Assert.Equal(3, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE owner = @p0", owner));
        foreach (var id in ids)
        {
            Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(id)).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_large_batch_stores_each_job_as_a_single_submission_does_and_every_one_runs()
    {
        // From eight new jobs on, a batch is written by COPY rather than one INSERT per row: the rows must not differ.
        var (client, _, _) = await stack.TenantAsync(maxConcurrentJobs: 100);
        using var _c = client;
        var reference = $"bulk-{Guid.NewGuid():N}";
        object Job() => new
        {
            browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") }, maxRetries = 0, priority = 7, clientReference = reference,
        };

        using var single = await client.PostAsJsonAsync(Jobs, Job());
        Assert.Equal(HttpStatusCode.Accepted, single.StatusCode);
        using var batch = await client.PostAsJsonAsync(Batch, new { jobs = Enumerable.Range(0, 12).Select(_ => Job()).ToArray() });
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        var ids = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").GetGuid())
            .Append((await single.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid()).ToList();
        foreach (var id in ids)
        {
            Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(id)).GetProperty("status").GetString());
        }

        // Every column set at intake is the same for all 13 (a job's id, time and trace aside), maxRetries 0 included
        // (stored as 0, not as the column's default 3); each has its accepted log row.
        Assert.Equal(1, await stack.Database.ScalarAsync<long>(
            """
            SELECT count(DISTINCT (to_jsonb(j) - 'id' - 'created_at' - 'trace_id' - 'trace_parent' - 'started_at' - 'completed_at' - 'result'
                                   - 'status_version' - 'attempt_timeout_token_id')::text)
            FROM automation_jobs j WHERE client_reference = @p0
            """, reference));
        Assert.Equal(13, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE client_reference = @p0 AND max_retries = 0", reference));
        Assert.Equal(13, await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM job_logs l JOIN automation_jobs j ON j.id = l.job_id WHERE j.client_reference = @p0 AND l.message = 'Job accepted'", reference));
    }

    [Fact]
    public async Task A_batch_with_a_bad_item_or_over_a_limit_stores_nothing_and_names_the_problem()
    {
        var (client, owner, _) = await stack.TenantAsync(maxConcurrentJobs: 2);
        using var _c = client;

        var bad = new object[] { Visit(), new { browserTypeId = 1, actionType = "visit", payload = new { url = "file:///etc/passwd" } } };
        using var invalid = await client.PostAsJsonAsync(Batch, new { jobs = bad });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("jobs[1].payload.url", out _));

        using var empty = await client.PostAsJsonAsync(Batch, new { jobs = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        using var tooMany = await client.PostAsJsonAsync(Batch, new { jobs = Enumerable.Range(0, 1001).Select(_ => new { browserTypeId = 1 }).ToArray() });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("1 to 1000", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var overCap = await client.PostAsJsonAsync(Batch, new { jobs = new[] { Visit(), Visit(), Visit() } });
        Assert.Equal(HttpStatusCode.TooManyRequests, overCap.StatusCode);
        Assert.NotNull(overCap.Headers.RetryAfter?.Delta);
        Assert.Contains("max concurrent jobs: 2", await overCap.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE owner = @p0", owner));
    }

    [Fact]
    public async Task A_batch_counts_each_of_its_jobs_against_the_rate_limit()
    {
        var (client, _, _) = await stack.TenantAsync("submit,read", rateLimitMax: 3, rateLimitWindowMs: 60_000);
        using var _c = client;
        using var fits = await client.PostAsJsonAsync(Batch, new { jobs = new[] { Visit(), Visit(), Visit() } });
        Assert.Equal(HttpStatusCode.Accepted, fits.StatusCode);
        using var over = await client.PostAsJsonAsync(Batch, new { jobs = new[] { Visit(), Visit() } });
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.NotNull(over.Headers.RetryAfter?.Delta);
        foreach (var job in (await fits.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobs").EnumerateArray())
        {
            await stack.WaitForFinalStatusAsync(job.GetProperty("jobId").GetGuid());
        }
    }

    /// <summary>Publishes a SubmitJob (raw AMQP, as a non-MassTransit client would) and returns the JobSubmissionRejected it gets.</summary>
    private async Task<JsonElement> SubmitOnBusAsync(string? owner)
    {
        var reference = $"intake-{Guid.NewGuid():N}";
        // The first command also warms the consumer's pipeline up, which on a busy machine takes a while.
        var rejected = await BusRejections.SubmitAndAwaitAsync(stack,
            new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") }, clientReference = reference, owner },
            reference, TimeSpan.FromSeconds(90));

        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE client_reference = @p0", reference));
        return rejected;
    }
}
