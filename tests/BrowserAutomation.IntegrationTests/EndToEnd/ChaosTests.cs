using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// Jobs submitted throughout while the worker is killed (SIGKILL) and restarted twice and RabbitMQ becomes unreachable
/// once: none refused (admission does not wait for a heartbeat), none lost, none finished twice.
/// </summary>
[Collection(ChaosStackDefinition.Name)]
public sealed class ChaosTests(ChaosStackFixture stack)
{
    private const int Jobs = 40;

    [Fact]
    public async Task Every_submission_is_accepted_and_ends_exactly_once_through_worker_kills_and_a_broker_outage()
    {
        var reference = $"chaos-{Guid.NewGuid():N}";
        var jobs = new List<Guid>();
        var refused = new List<string>();
        for (var i = 0; i < Jobs; i++)
        {
            using var response = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), new
            {
                browserTypeId = 1,
                actionType = "screenshot",
                payload = new { url = stack.Faults.Url($"/slow?ms={100 + (i % 4 * 100)}"), viewport = new { width = 320, height = 240 } },
                timeoutMs = 20_000,
                maxRetries = 5,
                clientReference = reference,
            });
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                refused.Add($"job {i}: {(int)response.StatusCode} {text}");
                continue;
            }

            jobs.Add(JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetGuid());
            switch (i)
            {
                // The worker dies and its heartbeat goes stale before the next submissions: they must still be accepted.
                case 8:
                case 28:
                    await stack.Worker.KillAsync();
                    await WaitUntilNoLiveWorkerAsync();
                    break;
                case 14:
                case 34:
                    stack.StartWorker([]);
                    break;
                case 20:
                    stack.Broker.Disable();
                    break;
                case 25:
                    stack.Broker.Enable();
                    break;
            }
        }

        stack.Broker.Enable();
        Assert.True(refused.Count == 0, $"{refused.Count} submissions refused:\n{string.Join('\n', refused)}");

        var statuses = new Dictionary<string, int>();
        foreach (var id in jobs)
        {
            var status = (await stack.WaitForFinalStatusAsync(id, TimeSpan.FromSeconds(180))).GetProperty("status").GetString()!;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;

            // One final state: the saga finished it once; a completed job has exactly one set of artifacts.
            var finals = await stack.Database.ScalarAsync<long>(
                "SELECT count(*) FROM job_logs WHERE job_id = @p0 AND level IN ('info', 'error') AND message ~ '^Attempt [0-9]+ (completed|failed:)'", id);
            Assert.True(finals == 1, $"job {id} was finished {finals} times");
            if (status == "completed")
            {
                Assert.Equal(1, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM job_artifacts WHERE job_id = @p0", id));
            }
        }

        Assert.Equal(Jobs, statuses.GetValueOrDefault("completed"));

        // The listing agrees with the database.
        var listed = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/jobs?status=completed&limit=1", UriKind.Relative));
        Assert.Equal(await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE status = 'completed'"),
            listed.GetProperty("total").GetInt64());
        Assert.Equal(Jobs, await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM automation_jobs WHERE client_reference = @p0 AND status = 'completed'", reference));
    }

    /// <summary>Until /api/v1/workers shows no live worker: the moment the old heartbeat gate refused every submission.</summary>
    private async Task WaitUntilNoLiveWorkerAsync() =>
        await Wait.UntilAsync(async () =>
            {
                var workers = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/workers", UriKind.Relative));
                return workers.GetProperty("data").EnumerateArray().All(w => w.GetProperty("status").GetString() == "offline");
            },
            TimeSpan.FromSeconds(30), "the killed worker's heartbeat to go stale");
}
