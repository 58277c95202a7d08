using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RabbitMQ.Client;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>API keys, scopes, tenant isolation, rate limits, quotas and back-pressure, against the running API and worker.</summary>
[Collection(StackDefinition.Name)]
public sealed partial class SecurityTests(StackFixture stack)
{
    private static readonly Uri Jobs = new("/api/v1/jobs", UriKind.Relative);
    private static readonly string[] AdminScope = ["admin"];
    private static readonly string[] ReadScope = ["read"];
    private static readonly string[] SubmitJobType = ["urn:message:BrowserAutomation.Contracts:SubmitJob"];

    private object Visit(string path = "/page") => new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url(path) } };

    private object Screenshot() => new { browserTypeId = 1, actionType = "screenshot", payload = new { url = stack.Site.Url("/page"), viewport = new { width = 320, height = 240 } } };

    [Fact]
    public async Task Without_a_key_every_endpoint_but_health_and_the_docs_is_401_problem_json_with_WWW_Authenticate()
    {
        using var anonymous = stack.CreateClient(apiKey: null);

        foreach (var path in new[] { "/api/v1/jobs", $"/api/v1/jobs/{Guid.NewGuid()}", "/api/v1/browsers", "/api/v1/workers", "/api/v1/keys", "/api/v1/jobs/events" })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            await AssertProblemAsync(response, HttpStatusCode.Unauthorized, path);
            var challenges = response.Headers.WwwAuthenticate.Select(h => h.Scheme).ToList();
            Assert.Contains("ApiKey", challenges);
            Assert.Contains("Bearer", challenges);
        }

        using (var post = await anonymous.PostAsJsonAsync(Jobs, Visit()))
        {
            await AssertProblemAsync(post, HttpStatusCode.Unauthorized, "POST /api/v1/jobs");
        }

        using (var action = await anonymous.PostAsJsonAsync(new Uri("/api/v1/actions/visit", UriKind.Relative), new { browserTypeId = 1, url = stack.Site.Url("/page") }))
        {
            await AssertProblemAsync(action, HttpStatusCode.Unauthorized, "POST /api/v1/actions/visit");
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/swagger/index.html", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task An_unknown_key_is_401_and_a_valid_key_works_in_the_header_or_as_bearer()
    {
        using var unknown = stack.CreateClient("ba_" + new string('x', 43));
        await AssertProblemAsync(await unknown.GetAsync(Jobs), HttpStatusCode.Unauthorized, "unknown key");

        var (_, key) = await stack.CreateKeyAsync("bearer-owner", "read");
        using var bearer = stack.CreateClient(apiKey: null);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync(Jobs)).StatusCode);

        using var header = stack.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await header.GetAsync(Jobs)).StatusCode);

        using var wrongBearer = stack.CreateClient(apiKey: null);
        wrongBearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key + "x");
        await AssertProblemAsync(await wrongBearer.GetAsync(Jobs), HttpStatusCode.Unauthorized, "wrong bearer");
    }

    [Fact]
    public async Task A_revoked_key_is_401_from_the_next_request_and_the_listing_shows_it_revoked_without_the_key()
    {
        var (id, key) = await stack.CreateKeyAsync("revoked-owner", "read");
        using var client = stack.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Jobs)).StatusCode);

        using (var revoke = await stack.Http.DeleteAsync(new Uri($"/api/v1/keys/{id}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            Assert.NotEqual(JsonValueKind.Null, (await revoke.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revokedAt").ValueKind);
        }

        await AssertProblemAsync(await client.GetAsync(Jobs), HttpStatusCode.Unauthorized, "revoked key");

        var listing = await stack.Http.GetStringAsync(new Uri("/api/v1/keys", UriKind.Relative));
        Assert.DoesNotContain(key, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha256(key), listing, StringComparison.Ordinal);
        var listed = JsonDocument.Parse(listing).RootElement.GetProperty("data").EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == id);
        Assert.Equal("revoked-owner", listed.GetProperty("owner").GetString());
        Assert.Equal(key[..10], listed.GetProperty("prefix").GetString());
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task A_key_without_the_scope_is_403_problem_json_naming_it()
    {
        var (reader, _, _) = await stack.TenantAsync("read");
        using (reader)
        {
            var forbidden = await reader.PostAsJsonAsync(Jobs, Visit());
            var problem = await AssertProblemAsync(forbidden, HttpStatusCode.Forbidden, "read key POST /jobs");
            Assert.Contains("submit", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await AssertProblemAsync(await reader.PostAsJsonAsync(new Uri("/api/v1/actions/visit", UriKind.Relative), new { browserTypeId = 1, url = stack.Site.Url("/page") }),
                HttpStatusCode.Forbidden, "read key POST /actions/visit");
            await AssertProblemAsync(await reader.DeleteAsync(new Uri($"/api/v1/jobs/{Guid.NewGuid()}", UriKind.Relative)), HttpStatusCode.Forbidden, "read key cancel");
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(new Uri("/api/v1/browsers", UriKind.Relative))).StatusCode);
        }

        var (submitter, _, _) = await stack.TenantAsync("submit");
        using (submitter)
        {
            var workers = await AssertProblemAsync(await submitter.GetAsync(new Uri("/api/v1/workers", UriKind.Relative)), HttpStatusCode.Forbidden, "submit key /workers");
            Assert.Contains("admin", workers.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await AssertProblemAsync(await submitter.GetAsync(new Uri("/api/v1/workers/stats", UriKind.Relative)), HttpStatusCode.Forbidden, "submit key /workers/stats");
            await AssertProblemAsync(await submitter.GetAsync(new Uri("/api/v1/keys", UriKind.Relative)), HttpStatusCode.Forbidden, "submit key /keys");
            await AssertProblemAsync(await submitter.PostAsJsonAsync(new Uri("/api/v1/keys", UriKind.Relative), new { name = "x", owner = "x", scopes = AdminScope }),
                HttpStatusCode.Forbidden, "submit key creating a key");
            await AssertProblemAsync(await submitter.GetAsync(Jobs), HttpStatusCode.Forbidden, "submit key listing");

            // Keys are created by admins only, and a bad request names its fields.
            using var invalid = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/keys", UriKind.Relative), new { name = "", owner = "x", scopes = AdminScope.Append("root") });
            var errors = (await AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "invalid key request")).GetProperty("errors");
            Assert.True(errors.TryGetProperty("name", out _) && errors.TryGetProperty("scopes", out _), errors.ToString());

            // Submitting alone is enough to create a job.
            using var created = await submitter.PostAsJsonAsync(Jobs, Visit());
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            await stack.WaitForFinalStatusAsync((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
        }
    }

    [Fact]
    public async Task Another_owners_job_artifacts_logs_stream_and_cancel_are_404_like_an_unknown_id_and_the_listing_leaves_them_out()
    {
        var (alice, aliceOwner, _) = await stack.TenantAsync();
        var (bob, _, _) = await stack.TenantAsync();
        using var _a = alice;
        using var _b = bob;

        using var submitted = await alice.PostAsJsonAsync(Jobs, Screenshot());
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var jobId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        var artifactUrl = job.GetProperty("result").GetProperty("screenshotUrl").GetString()!;
        Assert.Equal(aliceOwner, await stack.Database.ScalarAsync<string>("SELECT owner FROM automation_jobs WHERE id = @p0", jobId));

        // Alice sees all of it.
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync(new Uri(artifactUrl, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync(new Uri($"/api/v1/jobs/{jobId}/artifacts/screenshot.png", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync(new Uri($"/api/v1/jobs/{jobId}/logs", UriKind.Relative))).StatusCode);
        var aliceList = await alice.GetFromJsonAsync<JsonElement>(Jobs);
        Assert.Equal(1, aliceList.GetProperty("total").GetInt32());
        Assert.Equal(jobId, aliceList.GetProperty("data")[0].GetProperty("id").GetGuid());

        // Bob gets exactly what an unknown id gets.
        var unknown = Guid.NewGuid();
        foreach (var (mine, other) in new[]
                 {
                     ($"/api/v1/jobs/{unknown}", $"/api/v1/jobs/{jobId}"),
                     ($"/api/v1/jobs/{unknown}/logs", $"/api/v1/jobs/{jobId}/logs"),
                     ($"/api/v1/jobs/{unknown}/events", $"/api/v1/jobs/{jobId}/events"),
                     (artifactUrl.Replace(jobId.ToString(), unknown.ToString(), StringComparison.Ordinal), artifactUrl),
                     ($"/api/v1/jobs/{unknown}/artifacts/screenshot.png", $"/api/v1/jobs/{jobId}/artifacts/screenshot.png"),
                 })
        {
            var expected = await AssertProblemAsync(await bob.GetAsync(new Uri(mine, UriKind.Relative)), HttpStatusCode.NotFound, mine);
            var actual = await AssertProblemAsync(await bob.GetAsync(new Uri(other, UriKind.Relative)), HttpStatusCode.NotFound, other);
            Assert.Equal(expected.GetProperty("title").GetString(), actual.GetProperty("title").GetString());
            Assert.Equal(expected.GetProperty("detail").GetString()!.Replace(unknown.ToString(), jobId.ToString(), StringComparison.Ordinal),
                actual.GetProperty("detail").GetString());
        }

        await AssertProblemAsync(await bob.DeleteAsync(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative)), HttpStatusCode.NotFound, "bob cancels alice's job");
        var bobList = await bob.GetFromJsonAsync<JsonElement>(Jobs);
        Assert.Equal(0, bobList.GetProperty("total").GetInt32());
        Assert.Empty(bobList.GetProperty("data").EnumerateArray());

        // An admin key sees every owner's jobs, and can narrow its listing to one owner.
        var asAdmin = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative));
        Assert.Equal(aliceOwner, asAdmin.GetProperty("owner").GetString());
        var adminList = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/jobs?owner={aliceOwner}", UriKind.Relative));
        Assert.Equal(jobId, Assert.Single(adminList.GetProperty("data").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_bus_command_creates_its_job_for_the_owner_it_names_or_for_the_bus_owner()
    {
        var (acme, acmeOwner, _) = await stack.TenantAsync("read");
        using var _c = acme;
        var named = $"bus-owner-{Guid.NewGuid():N}";
        var unnamed = $"bus-default-{Guid.NewGuid():N}";

        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1", Port = TestSettings.RabbitPort, VirtualHost = stack.VirtualHost.Name,
            UserName = TestSettings.RabbitUser, Password = TestSettings.RabbitPassword,
        };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            foreach (var (reference, owner) in new[] { (named, acmeOwner), (unnamed, (string?)null) })
            {
                var envelope = JsonSerializer.Serialize(new
                {
                    messageId = Guid.NewGuid(),
                    messageType = SubmitJobType,
                    message = new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") }, clientReference = reference, owner },
                });
                await channel.BasicPublishAsync("submit-job", "", mandatory: true,
                    new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true }, Encoding.UTF8.GetBytes(envelope));
            }
        }

        await Wait.UntilAsync(async () => await stack.Database.ScalarAsync<long>(
                "SELECT count(*) FROM automation_jobs WHERE client_reference IN (@p0, @p1)", named, unnamed) == 2,
            TimeSpan.FromSeconds(30), "both bus jobs to be created");
        Assert.Equal(acmeOwner, await stack.Database.ScalarAsync<string>("SELECT owner FROM automation_jobs WHERE client_reference = @p0", named));
        Assert.Equal("bus", await stack.Database.ScalarAsync<string>("SELECT owner FROM automation_jobs WHERE client_reference = @p0", unnamed));

        var namedJob = Guid.Parse(await stack.Database.ScalarAsync<string>("SELECT id::text FROM automation_jobs WHERE client_reference = @p0", named));
        var unnamedJob = Guid.Parse(await stack.Database.ScalarAsync<string>("SELECT id::text FROM automation_jobs WHERE client_reference = @p0", unnamed));
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync(new Uri($"/api/v1/jobs/{namedJob}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync(new Uri($"/api/v1/jobs/{unnamedJob}", UriKind.Relative))).StatusCode);
        await stack.WaitForFinalStatusAsync(namedJob);
        await stack.WaitForFinalStatusAsync(unnamedJob);
    }

    [Fact]
    public async Task A_REST_body_cannot_choose_its_owner()
    {
        var (alice, aliceOwner, _) = await stack.TenantAsync();
        using var _a = alice;
        using var submitted = await alice.PostAsJsonAsync(Jobs, new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") }, owner = "admin" });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var jobId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        Assert.Equal(aliceOwner, await stack.Database.ScalarAsync<string>("SELECT owner FROM automation_jobs WHERE id = @p0", jobId));
        await stack.WaitForFinalStatusAsync(jobId);
    }

    [Fact]
    public async Task Cancel_reaches_only_the_owners_own_pending_job()
    {
        var (alice, aliceOwner, _) = await stack.TenantAsync();
        var (bob, _, _) = await stack.TenantAsync();
        using var _a = alice;
        using var _b = bob;
        // A pending row without a queued message: nothing runs it, so the test decides what happens to it.
        var jobId = await stack.Database.InsertPendingJobAsync(aliceOwner);

        await AssertProblemAsync(await bob.DeleteAsync(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative)), HttpStatusCode.NotFound, "bob cancels");
        Assert.Equal("pending", await stack.Database.ScalarAsync<string>("SELECT status FROM automation_jobs WHERE id = @p0", jobId));

        using var cancelled = await alice.DeleteAsync(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", await stack.Database.ScalarAsync<string>("SELECT status FROM automation_jobs WHERE id = @p0", jobId));
    }

    [Fact]
    public async Task The_all_jobs_stream_of_a_tenant_carries_only_its_own_jobs()
    {
        var (alice, _, _) = await stack.TenantAsync();
        var (bob, _, _) = await stack.TenantAsync();
        using var _a = alice;
        using var _b = bob;
        bob.Timeout = TimeSpan.FromSeconds(90);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/jobs/events", UriKind.Relative));
        // The headers may come only with the first event Bob may see; give the request a moment to subscribe.
        var opening = bob.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await Task.Delay(TimeSpan.FromSeconds(1));

        // Alice's job first, then Bob's: when Bob's job's final event arrives, Alice's events have been through the stream's filter.
        using var aliceSubmit = await alice.PostAsJsonAsync(Jobs, Visit());
        var aliceJob = (await aliceSubmit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        await stack.WaitForFinalStatusAsync(aliceJob);
        using var bobSubmit = await bob.PostAsJsonAsync(Jobs, Visit());
        var bobJob = (await bobSubmit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        using var stream = await opening;
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);

        var seen = new List<Guid>();
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            var e = JsonDocument.Parse(line["data:".Length..]).RootElement;
            seen.Add(e.GetProperty("jobId").GetGuid());
            if (e.GetProperty("jobId").GetGuid() == bobJob && e.GetProperty("status").GetString() is "completed" or "failed")
            {
                break;
            }
        }

        Assert.Contains(bobJob, seen);
        Assert.DoesNotContain(aliceJob, seen);
    }

    [Fact]
    public async Task The_same_idempotency_key_in_two_tenants_makes_two_jobs_and_each_replay_finds_its_own()
    {
        var (alice, _, _) = await stack.TenantAsync();
        var (bob, _, _) = await stack.TenantAsync();
        using var _a = alice;
        using var _b = bob;
        var key = $"shared-{Guid.NewGuid():N}";

        async Task<(HttpStatusCode Status, Guid JobId)> SubmitAsync(HttpClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Jobs) { Content = JsonContent.Create(Visit()) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
        }

        var aliceFirst = await SubmitAsync(alice);
        var bobFirst = await SubmitAsync(bob);
        Assert.Equal(HttpStatusCode.Accepted, aliceFirst.Status);
        Assert.Equal(HttpStatusCode.Accepted, bobFirst.Status);
        Assert.NotEqual(aliceFirst.JobId, bobFirst.JobId);

        Assert.Equal((HttpStatusCode.OK, aliceFirst.JobId), await SubmitAsync(alice));
        Assert.Equal((HttpStatusCode.OK, bobFirst.JobId), await SubmitAsync(bob));
        await stack.WaitForFinalStatusAsync(aliceFirst.JobId);
        await stack.WaitForFinalStatusAsync(bobFirst.JobId);
    }

    [Fact]
    public async Task Past_the_keys_rate_limit_requests_get_429_problem_json_with_Retry_After()
    {
        // The key's limit is for submissions (reads have their own budget): three invalid submissions use it up.
        var (client, _, _) = await stack.TenantAsync("submit,read", rateLimitMax: 3, rateLimitWindowMs: 60_000);
        using var _c = client;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync(Jobs, new { browserTypeId = 1 })).StatusCode);
        }

        using var limited = await client.PostAsJsonAsync(Jobs, new { browserTypeId = 1 });
        var problem = await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "4th request");
        Assert.Contains("3 requests per 60 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);

        // Another key is not affected.
        var (other, _, _) = await stack.TenantAsync("read", rateLimitMax: 3, rateLimitWindowMs: 60_000);
        using var _o = other;
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(Jobs)).StatusCode);
    }

    [Fact]
    public async Task At_the_keys_cap_of_active_jobs_submissions_get_429_naming_the_limit_and_a_replay_still_answers()
    {
        var (client, owner, _) = await stack.TenantAsync(maxConcurrentJobs: 1);
        using var _c = client;
        var pending = await stack.Database.InsertPendingJobAsync(owner);
        try
        {
            foreach (var (path, body) in new (string, object)[]
                     {
                         ("/api/v1/jobs", Visit()),
                         ("/api/v1/actions/visit", new { browserTypeId = 1, url = stack.Site.Url("/page") }),
                     })
            {
                using var refused = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
                var problem = await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, path);
                Assert.Contains("max concurrent jobs: 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                Assert.Equal(1, problem.GetProperty("maxConcurrentJobs").GetInt32());
                Assert.NotNull(refused.Headers.RetryAfter?.Delta);
            }

            Assert.Equal(1, await stack.Database.ScalarAsync<int>("SELECT count(*) FROM automation_jobs WHERE owner = @p0", owner));
        }
        finally
        {
            await stack.Database.ScalarAsync<int>("WITH d AS (DELETE FROM automation_jobs WHERE id = @p0 RETURNING 1) SELECT count(*) FROM d", pending);
        }

        // Once the owner has no active job, it may submit again.
        using var accepted = await client.PostAsJsonAsync(Jobs, Visit());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await stack.WaitForFinalStatusAsync((await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
    }

    [Fact]
    public async Task Parallel_submissions_cannot_overshoot_the_active_job_cap()
    {
        var (client, owner, _) = await stack.TenantAsync(maxConcurrentJobs: 2);
        using var _c = client;
        // Slow pages keep the accepted jobs active while the other submissions arrive.
        var slow = new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Faults.Url("/slow?ms=3000") } };
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsJsonAsync(Jobs, slow)));
        try
        {
            Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
            Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
            Assert.Equal(2, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE owner = @p0", owner));
        }
        finally
        {
            foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.Accepted))
            {
                await stack.WaitForFinalStatusAsync((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
            }

            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task With_AUTH_DISABLED_it_warns_and_serves_without_keys_and_a_full_engine_backlog_is_503_with_Retry_After()
    {
        var (api, address) = await stack.StartExtraApiAsync(new()
        {
            ["AUTH_DISABLED"] = "true",
            ["QUEUE_MAX_DEPTH_PER_ENGINE"] = "2",
        });
        var inserted = new List<Guid>();
        try
        {
            Assert.Contains("Authentication is DISABLED", api.Output, StringComparison.Ordinal);
            using var anonymous = StackFixture.CreateClient(address, apiKey: null);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(Jobs)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/api/v1/workers", UriKind.Relative))).StatusCode);

            // Two pending chromium jobs that nothing runs: the backlog is at its bound.
            inserted.Add(await stack.Database.InsertPendingJobAsync());
            inserted.Add(await stack.Database.InsertPendingJobAsync());
            foreach (var (path, body) in new (string, object)[]
                     {
                         ("/api/v1/jobs", Visit()),
                         ("/api/v1/actions/visit", new { browserTypeId = 1, url = stack.Site.Url("/page") }),
                     })
            {
                using var refused = await anonymous.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
                var problem = await AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, path);
                Assert.Contains("QUEUE_MAX_DEPTH_PER_ENGINE", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                Assert.Equal("chromium", problem.GetProperty("engine").GetString());
                Assert.NotNull(refused.Headers.RetryAfter?.Delta);
            }

            // The main API (default bound) still accepts.
            var accepted = await stack.SubmitAsync(Visit());
            await stack.WaitForFinalStatusAsync(accepted);
        }
        finally
        {
            foreach (var id in inserted)
            {
                await stack.Database.ScalarAsync<int>("WITH d AS (DELETE FROM automation_jobs WHERE id = @p0 RETURNING 1) SELECT count(*) FROM d", id);
            }

            await api.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_keys_command_creates_lists_and_revokes_and_never_lists_the_key()
    {
        var environment = stack.HostEnvironment(new());
        async Task<(int ExitCode, string Output)> Keys(params string[] arguments) =>
            await AppProcess.RunAsync("BrowserAutomation.Api", ["keys", .. arguments], environment, TimeSpan.FromSeconds(90));

        var owner = $"cli-{Guid.NewGuid():N}"[..16];
        var (created, output) = await Keys("create", "--name", "cli key", "--owner", owner, "--scopes", "read,submit", "--rate-limit", "50",
            "--rate-window-ms", "1000", "--max-concurrent-jobs", "5");
        Assert.True(created == 0, output);
        var key = KeyLine().Match(output).Groups[1].Value;
        var id = Guid.Parse(IdLine().Match(output).Groups[1].Value);
        Assert.StartsWith("ba_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 43, key);

        using var client = stack.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Jobs)).StatusCode);
        Assert.Equal((50, 1000, 5), (await stack.Database.ScalarAsync<int>("SELECT rate_limit_max FROM api_keys WHERE id = @p0", id),
            await stack.Database.ScalarAsync<int>("SELECT rate_limit_window_ms FROM api_keys WHERE id = @p0", id),
            await stack.Database.ScalarAsync<int>("SELECT max_concurrent_jobs FROM api_keys WHERE id = @p0", id)));

        var (listed, listing) = await Keys("list");
        Assert.Equal(0, listed);
        var row = listing.Split('\n').Single(l => l.StartsWith(id.ToString(), StringComparison.Ordinal));
        Assert.Contains(owner, row, StringComparison.Ordinal);
        Assert.Contains("cli key", row, StringComparison.Ordinal);
        Assert.Contains("read,submit", row, StringComparison.Ordinal);
        Assert.Contains(key[..10], row, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha256(key), listing, StringComparison.Ordinal);

        var (revoked, revokeOutput) = await Keys("revoke", id.ToString());
        Assert.True(revoked == 0, revokeOutput);
        await AssertProblemAsync(await client.GetAsync(Jobs), HttpStatusCode.Unauthorized, "revoked by the command");
        Assert.Equal(1, (await Keys("revoke", Guid.NewGuid().ToString())).ExitCode);
        Assert.Equal(2, (await Keys("create", "--name", "x", "--owner", "y", "--scopes", "everything")).ExitCode);

        // The key was never written to the API's output either.
        Assert.DoesNotContain(key, stack.Api.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_never_appear_in_the_APIs_log_even_at_debug_level()
    {
        var (api, address) = await stack.StartExtraApiAsync(new()
        {
            ["Logging__LogLevel__Default"] = "Debug",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Debug",
        });
        try
        {
            var (id, key) = await stack.CreateKeyAsync($"log-{Guid.NewGuid():N}"[..16], "submit,read");
            using var client = StackFixture.CreateClient(address, key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Jobs)).StatusCode);
            using var unknownKey = StackFixture.CreateClient(address, key + "-unknown");
            Assert.Equal(HttpStatusCode.Unauthorized, (await unknownKey.GetAsync(Jobs)).StatusCode);
            using var admin = StackFixture.CreateClient(address, stack.BootstrapAdminKey);
            using (var created = await admin.PostAsJsonAsync(new Uri("/api/v1/keys", UriKind.Relative), new { name = "logged?", owner = "log", scopes = ReadScope }))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                var second = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
                await Task.Delay(500);
                Assert.DoesNotContain(second, api.Output, StringComparison.Ordinal);
            }

            await admin.DeleteAsync(new Uri($"/api/v1/keys/{id}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Jobs)).StatusCode);
            await Task.Delay(500);

            var output = api.Output;
            Assert.Contains("dbug", output, StringComparison.Ordinal);
            Assert.DoesNotContain(key, output, StringComparison.Ordinal);
            Assert.DoesNotContain(key[3..], output, StringComparison.Ordinal);
            Assert.DoesNotContain(stack.BootstrapAdminKey, output, StringComparison.Ordinal);
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{what}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static string Sha256(string key) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    [GeneratedRegex(@"^key: (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"^id: (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex IdLine();
}
