using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BrowserAutomation.Api.Webhooks;
using BrowserAutomation.IntegrationTests.Support;
using RabbitMQ.Client;

namespace BrowserAutomation.IntegrationTests.Webhooks;

/// <summary>
/// Signed webhooks against the running API and worker: a receiver that is down for the first attempts, the failed and
/// cancelled events, a key's default webhook, redelivery, tenancy of the listing, and the URL policy at submission and
/// at delivery (a receiver on the denied alias 127.0.0.2 never sees a connection).
/// </summary>
[Collection(WebhookStackDefinition.Name)]
public sealed class WebhookEndToEndTests(WebhookStackFixture stack)
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private static readonly string[] CompletedOnly = ["job.completed"];
    private static readonly string[] StartedAndFinal = ["job.started", "job.cancelled", "job.completed"];
    private static readonly string[] SubmitOnly = ["submit"];
    private static readonly string[] SubmitAndRead = ["submit", "read"];
    private static readonly string[] SubmitJobType = ["urn:message:BrowserAutomation.Contracts:SubmitJob"];

    [Fact]
    public async Task A_receiver_down_for_two_attempts_gets_the_event_once_with_one_webhook_id_and_valid_signatures()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 2;
        var tenant = await TenantAsync();

        var jobId = await SubmitAsync(tenant.Client, new
        {
            browserTypeId = 1, url = stack.Site.Url("/page"), actions = new[] { new { action = "screenshot" } },
            webhook = new { url = receiver.Url("/hooks/down"), events = CompletedOnly },
        });

        var delivery = Assert.Single(await WaitForDeliveriesAsync(tenant.Client, jobId, 1, "delivered"));
        Assert.Equal("job.completed", delivery.GetProperty("event").GetString());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(204, delivery.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("lastError").ValueKind);

        var requests = receiver.At("/hooks/down");
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(delivery.GetProperty("webhookId").GetString(), r.WebhookId));
        Assert.All(requests, r => Assert.True(
            WebhookSignature.Verify(tenant.WebhookSecret, r.WebhookId, r.Timestamp, r.Signature, r.Body, DateTimeOffset.UtcNow, Tolerance),
            $"signature {r.Signature} does not verify"));
        Assert.Equal([503, 503, 204], requests.Select(r => r.AnsweredStatus));
        Assert.Single(requests.Select(r => r.Body).Distinct());
        Assert.StartsWith("application/json", requests[0].ContentType, StringComparison.Ordinal);

        var body = JsonDocument.Parse(requests[^1].Body).RootElement;
        Assert.Equal("job.completed", body.GetProperty("type").GetString());
        var data = body.GetProperty("data");
        Assert.Equal(jobId, data.GetProperty("jobId").GetGuid());
        Assert.Equal("completed", data.GetProperty("status").GetString());
        Assert.EndsWith(".png", data.GetProperty("result").GetProperty("artifacts")[0].GetProperty("fileName").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(tenant.Key, requests[^1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_and_cancelled_jobs_are_pushed_and_a_delivery_can_be_redelivered_with_the_same_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await TenantAsync();
        var failing = await SubmitAsync(tenant.Client, new
        {
            browserTypeId = 1, actionType = "screenshot", timeoutMs = 15_000, maxRetries = 0,
            payload = new { url = stack.Site.Url("/page"), selector = "#does-not-exist" },
            webhook = new { url = receiver.Url("/hooks/failed") },
        });
        var hang = Guid.NewGuid().ToString("N");
        var cancelled = await SubmitAsync(tenant.Client, new
        {
            browserTypeId = 1, url = stack.Site.Url($"/hang?id={hang}"), actions = Array.Empty<object>(),
            webhook = new { url = receiver.Url("/hooks/cancelled"), events = StartedAndFinal },
        });
        await stack.Site.WaitForHangRequestAsync(hang).WaitAsync(TimeSpan.FromSeconds(60));
        // The page opens before the job's start reaches its record (the worker reports it through its outbox); a job
        // cancelled before that point was never recorded as started and rightly gets no job.started.
        await Wait.UntilAsync(async () =>
            {
                var job = await tenant.Client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/jobs/{cancelled}", UriKind.Relative));
                return job.GetProperty("status").GetString() == "processing";
            },
            TimeSpan.FromSeconds(60), "the hanging job to be recorded as processing");
        using (var cancel = await tenant.Client.DeleteAsync(new Uri($"/api/v1/jobs/{cancelled}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        var failed = Assert.Single(await WaitForDeliveriesAsync(tenant.Client, failing, 1, "delivered"));
        Assert.Equal("job.failed", failed.GetProperty("event").GetString());
        var failedBody = JsonDocument.Parse(Assert.Single(receiver.At("/hooks/failed")).Body).RootElement.GetProperty("data");
        Assert.Equal("failed", failedBody.GetProperty("status").GetString());
        Assert.Equal("selector_not_found", failedBody.GetProperty("error").GetProperty("type").GetString());

        var events = await WaitForDeliveriesAsync(tenant.Client, cancelled, 2, "delivered");
        Assert.Equal(["job.started", "job.cancelled"], events.Select(e => e.GetProperty("event").GetString()));
        Assert.Equal(["job.started", "job.cancelled"], receiver.At("/hooks/cancelled")
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()));

        // Another owner sees neither the deliveries nor can redeliver them; the admin key can read them.
        var stranger = await TenantAsync();
        var deliveryId = failed.GetProperty("id").GetGuid();
        using (var hidden = await stranger.Client.GetAsync(new Uri($"/api/v1/jobs/{failing}/webhooks", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        using (var refused = await stranger.Client.PostAsync(new Uri($"/api/v1/jobs/{failing}/webhooks/{deliveryId}/redeliver", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using (var admin = await stack.Http.GetAsync(new Uri($"/api/v1/jobs/{failing}/webhooks", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        }

        using (var redeliver = await tenant.Client.PostAsync(new Uri($"/api/v1/jobs/{failing}/webhooks/{deliveryId}/redeliver", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        }

        await Wait.UntilAsync(() => receiver.At("/hooks/failed").Count == 2, TimeSpan.FromSeconds(30), "the redelivery to arrive");
        var again = Assert.Single(await WaitForDeliveriesAsync(tenant.Client, failing, 1, "delivered", attempts: 2));
        Assert.Single(receiver.At("/hooks/failed").Select(r => r.WebhookId).Distinct());
        Assert.Equal(failed.GetProperty("webhookId").GetString(), again.GetProperty("webhookId").GetString());
    }

    [Fact]
    public async Task A_key_default_webhook_is_used_by_jobs_that_name_none()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await TenantAsync(new { url = receiver.Url("/hooks/default") });

        var jobId = await SubmitAsync(tenant.Client, new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") } });

        var delivery = Assert.Single(await WaitForDeliveriesAsync(tenant.Client, jobId, 1, "delivered"));
        Assert.Equal(receiver.Url("/hooks/default"), delivery.GetProperty("url").GetString());
        var request = Assert.Single(receiver.At("/hooks/default"));
        Assert.True(WebhookSignature.Verify(tenant.WebhookSecret, request.WebhookId, request.Timestamp, request.Signature, request.Body,
            DateTimeOffset.UtcNow, Tolerance));
    }

    [Fact]
    public async Task A_denied_receiver_is_400_url_blocked_at_submission_and_for_a_key_default()
    {
        var tenant = await TenantAsync();
        var reference = Guid.NewGuid().ToString("N");
        using var response = await tenant.Client.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), new
        {
            browserTypeId = 1, url = stack.Site.Url("/page"), clientReference = reference, actions = Array.Empty<object>(),
            webhook = new { url = "http://127.0.0.2:8080/hook" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("url_blocked: ", problem.GetProperty("errors").GetProperty("webhook.url")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await stack.Database.ScalarAsync<long>("select count(*) from automation_jobs where client_reference = @p0", reference));

        using var key = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/keys", UriKind.Relative), new
        {
            name = "denied default", owner = "denied-default", scopes = SubmitOnly, webhook = new { url = "http://[::1]:8080/hook" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, key.StatusCode);
        Assert.StartsWith("url_blocked: ",
            (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("webhook.url")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_the_delivering_copy_denies_ends_dead_with_the_reason_and_sees_no_connection()
    {
        // A copy with a laxer policy (and no dispatcher of its own) accepts 127.0.0.2; the stack's API, which allows
        // only 127.0.0.1, makes the delivery and must refuse it.
        await using var targets = await LoopbackTargets.StartAsync();
        var (lax, address) = await stack.StartExtraApiAsync(new()
        {
            ["URL_ALLOWED_NETWORKS"] = "127.0.0.0/8",
            ["WEBHOOK_DISPATCHER_ENABLED"] = "false",
        });
        await using (lax)
        {
            var tenant = await TenantAsync();
            using var laxClient = StackFixture.CreateClient(address, tenant.Key);
            var jobId = await SubmitAsync(laxClient, new
            {
                browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") },
                webhook = new { url = $"{targets.DeniedBase}/hook" },
            });

            var delivery = Assert.Single(await WaitForDeliveriesAsync(tenant.Client, jobId, 1, "dead"));
            Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
            Assert.Equal(JsonValueKind.Null, delivery.GetProperty("lastStatusCode").ValueKind);
            var error = delivery.GetProperty("lastError").GetString()!;
            Assert.StartsWith("url_blocked: ", error, StringComparison.Ordinal);
            Assert.Contains("127.0.0.2", error, StringComparison.Ordinal);
            Assert.Equal(0, targets.DeniedConnections);
        }
    }

    [Fact]
    public async Task A_bus_submitted_job_names_a_webhook_signed_with_the_bus_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var reference = $"bus-hook-{Guid.NewGuid():N}";
        var envelope = JsonSerializer.Serialize(new
        {
            messageId = Guid.NewGuid(),
            messageType = SubmitJobType,
            message = new
            {
                browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") }, clientReference = reference,
                webhook = new { url = receiver.Url("/hooks/bus") },
            },
        });
        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1", Port = TestSettings.RabbitPort, VirtualHost = stack.VirtualHost.Name,
            UserName = TestSettings.RabbitUser, Password = TestSettings.RabbitPassword,
        };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.BasicPublishAsync("submit-job", "", mandatory: true,
                new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true }, Encoding.UTF8.GetBytes(envelope));
        }

        await Wait.UntilAsync(() => receiver.At("/hooks/bus").Count == 1, TimeSpan.FromSeconds(90), "the bus job's webhook:\n" + stack.Api.Tail);
        var request = receiver.At("/hooks/bus")[0];
        Assert.True(WebhookSignature.Verify(WebhookStackFixture.BusSecret, request.WebhookId, request.Timestamp, request.Signature, request.Body,
            DateTimeOffset.UtcNow, Tolerance));
        var data = JsonDocument.Parse(request.Body).RootElement.GetProperty("data");
        Assert.Equal(reference, data.GetProperty("clientReference").GetString());
        Assert.Equal("completed", data.GetProperty("status").GetString());
    }

    private async Task<Tenant> TenantAsync(object? webhook = null)
    {
        var owner = $"hooks-{Guid.NewGuid():N}"[..20];
        using var response = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/keys", UriKind.Relative),
            new { name = $"test {owner}", owner, scopes = SubmitAndRead, webhook });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/keys answered {(int)response.StatusCode}: {text}");
        var created = JsonDocument.Parse(text).RootElement;
        var key = created.GetProperty("key").GetString()!;
        var secret = created.GetProperty("webhookSecret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        return new Tenant(stack.CreateClient(key), key, secret);
    }

    private static async Task<Guid> SubmitAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/v1/jobs answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetGuid();
    }

    /// <summary>Polls the listing until it has <paramref name="count"/> deliveries, all in <paramref name="status"/>.</summary>
    private async Task<List<JsonElement>> WaitForDeliveriesAsync(HttpClient client, Guid jobId, int count, string status, int? attempts = null)
    {
        var rows = new List<JsonElement>();
        try
        {
            await Wait.UntilAsync(async () =>
                {
                    var listing = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/jobs/{jobId}/webhooks", UriKind.Relative));
                    rows = [.. listing.GetProperty("data").EnumerateArray()];
                    return rows.Count == count && rows.All(r => r.GetProperty("status").GetString() == status
                                                                && (attempts is null || r.GetProperty("attempts").GetInt32() == attempts));
                },
                TimeSpan.FromSeconds(90),
                $"{count} {status} webhook deliveries of job {jobId}");
        }
        catch (TimeoutException e)
        {
            // The listing as it was last seen, not as it was before the wait began.
            throw new TimeoutException($"{e.Message} Last listing: [{string.Join("; ", rows)}]\nAPI:\n{stack.Api.Tail}", e);
        }

        return rows;
    }

    private sealed record Tenant(HttpClient Client, string Key, string WebhookSecret);
}
