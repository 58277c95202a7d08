using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>Jobs submitted while the worker is killed twice and RabbitMQ becomes unreachable once.</summary>
[Collection(StackDefinition.Name)]
public sealed class ChaosTests(StackFixture stack)
{
    private const int Jobs = 40;

    [Fact]
    public async Task Every_accepted_job_ends_in_exactly_one_final_state_through_worker_kills_and_a_broker_outage()
    {
        var reference = $"chaos-{Guid.NewGuid():N}";
        var jobs = new List<Guid>();
        for (var i = 0; i < Jobs; i++)
        {
            jobs.Add(await stack.SubmitAsync(new
            {
                browserTypeId = 1,
                actionType = "screenshot",
                payload = new { url = stack.Faults.Url($"/slow?ms={100 + (i % 4 * 100)}"), viewport = new { width = 320, height = 240 } },
                timeoutMs = 20_000,
                maxRetries = 5,
                clientReference = reference,
            }));

            switch (i)
            {
                case 10:
                case 30:
                    await stack.Worker.KillAsync();
                    await stack.RestartWorkerAsync();
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
        foreach (var id in jobs)
        {
            await stack.WaitForFinalStatusAsync(id, TimeSpan.FromSeconds(180));
        }

        var statuses = new Dictionary<string, int>();
        foreach (var id in jobs)
        {
            var status = (await stack.GetJobAsync(id)).GetProperty("status").GetString()!;
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
}
