using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// startBy / expiresAt: a job still waiting for a worker at its deadline ends expired without a browser, whether the
/// state machine's delayed deadline message ends it or a worker receives the attempt after the deadline; exactly once.
/// </summary>
[Collection(DeadlinesStackDefinition.Name)]
public sealed class DeadlineTests(DeadlinesStackFixture stack)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_job_waiting_at_its_deadline_ends_expired_once_and_a_worker_started_later_never_runs_it()
    {
        // A: expires with no worker (the state machine's deadline message). B: its deadline message is removed, so the
        // worker started after the deadline is what finds it late. C: no deadline, runs once the worker is there.
        var a = await stack.SubmitAsync(Visit(new { expiresAt = DateTime.UtcNow.AddSeconds(3) }));
        var b = await stack.SubmitAsync(Visit(new { startBy = DateTime.UtcNow.AddSeconds(6) }));
        var removed = await stack.Database.ScalarAsync<long>(
            "WITH d AS (DELETE FROM outbox_messages WHERE message_type LIKE '%:JobDeadlineReached%' AND body LIKE '%' || @p0 || '%' RETURNING 1) SELECT count(*) FROM d",
            b.ToString());
        Assert.Equal(1, removed);
        var c = await stack.SubmitAsync(Visit(new { }));

        var expired = await stack.WaitForFinalStatusAsync(a, TimeSpan.FromSeconds(60));
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        Assert.Equal("deadline_expired", expired.GetProperty("error").GetProperty("details").GetProperty("errorType").GetString());
        Assert.Equal(JsonValueKind.Null, expired.GetProperty("startedAt").ValueKind);
        Assert.True(expired.TryGetProperty("expiresAt", out _));

        // The listing filter knows the status.
        var listed = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/jobs?status=expired", UriKind.Relative));
        Assert.Contains(listed.GetProperty("data").EnumerateArray(), j => j.GetProperty("id").GetGuid() == a);

        await Wait.UntilAsync(async () => await stack.Database.ScalarAsync<bool>("SELECT now() > start_by FROM automation_jobs WHERE id = @p0", b),
            TimeSpan.FromSeconds(30), "B's startBy to pass");
        Assert.Equal("pending", (await stack.GetJobAsync(b)).GetProperty("status").GetString());

        var worker = stack.StartWorker([]);
        Assert.Equal("expired", (await stack.WaitForFinalStatusAsync(b, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());
        Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(c, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());
        await Wait.UntilAsync(() => worker.Output.Contains(a.ToString(), StringComparison.Ordinal) && worker.Output.Contains("after its deadline", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the worker to acknowledge A's late delivery:\n" + worker.Tail);

        foreach (var id in new[] { a, b })
        {
            var job = await stack.GetJobAsync(id);
            Assert.Equal("expired", job.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, job.GetProperty("startedAt").ValueKind);
            Assert.Equal(0, job.GetProperty("retryCount").GetInt32());
            Assert.Equal(1, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_events WHERE job_id = @p0 AND status = 'expired'", id));
            Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_logs WHERE job_id = @p0 AND message LIKE '%picked up%'", id));
            Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_artifacts WHERE job_id = @p0", id));
        }

        Assert.Equal(1, await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM job_logs WHERE job_id = @p0 AND message LIKE '%received after its deadline%acknowledged without a browser%'", b));
    }

    [Fact]
    public async Task Deadlines_in_the_past_too_far_ahead_or_contradictory_are_400_problems_naming_the_field()
    {
        var now = DateTime.UtcNow;
        Assert.Contains("expiresAt", (await ErrorsOfAsync("/api/v1/jobs", Visit(new { expiresAt = now.AddMinutes(-1) }))).Keys);
        Assert.Contains("startBy", (await ErrorsOfAsync("/api/v1/jobs", Visit(new { startBy = now.AddDays(8) }))).Keys);
        Assert.Contains("startBy", (await ErrorsOfAsync("/api/v1/jobs", Visit(new { startBy = now.AddHours(2), expiresAt = now.AddHours(1) }))).Keys);
        Assert.Contains("expiresAt", (await ErrorsOfAsync("/api/v1/actions/visit", new { url = stack.Site.Url("/page"), expiresAt = now.AddSeconds(-5) })).Keys);
    }

    [Fact]
    public async Task A_bus_submission_with_a_past_deadline_is_rejected_naming_the_field()
    {
        var reference = $"deadline-{Guid.NewGuid():N}";
        var rejected = await BusRejections.SubmitAndAwaitAsync(stack, new
        {
            browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") }, clientReference = reference,
            expiresAt = DateTime.UtcNow.AddMinutes(-1),
        }, reference, TimeSpan.FromSeconds(30));
        Assert.True(rejected.GetProperty("errors").TryGetProperty("expiresAt", out _), rejected.ToString());
        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE client_reference = @p0", reference));
    }

    private System.Text.Json.Nodes.JsonObject Visit(object deadlines)
    {
        var body = JsonSerializer.SerializeToNode(new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") } })!.AsObject();
        foreach (var (name, value) in JsonSerializer.SerializeToNode(deadlines, Web)!.AsObject())
        {
            body[name] = value?.DeepClone();
        }

        return body;
    }

    private async Task<Dictionary<string, JsonElement>> ErrorsOfAsync(string path, object body)
    {
        using var response = await stack.Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
