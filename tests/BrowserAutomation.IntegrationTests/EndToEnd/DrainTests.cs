namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>SIGTERM to a worker: no new deliveries, running jobs finish (or go back to their queue), exit code 0.</summary>
[Collection(DrainStackDefinition.Name)]
public sealed class DrainTests(DrainStackFixture stack)
{
    [Fact]
    public async Task A_job_running_at_SIGTERM_completes_on_that_worker_once_and_the_worker_exits_0()
    {
        await EnsureWorkerAsync([]);
        var worker = stack.Worker;
        var jobId = await stack.SubmitAsync(new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Faults.Url("/slow?ms=3000") } });
        await WaitForStatusAsync(jobId, "processing");

        await worker.StopAsync(TimeSpan.FromSeconds(60));

        Assert.True(worker.HasExited);
        Assert.True(worker.ExitCode == 0, $"the worker exited with {worker.ExitCode}:\n{worker.Tail}");
        Assert.Equal(1, await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM job_logs WHERE job_id = @p0 AND message LIKE 'Attempt 1 executed in %'", jobId));
        // The attempt's result was committed before the exit; its message may still be on its way to the saga.
        var job = await stack.WaitForFinalStatusAsync(jobId, TimeSpan.FromSeconds(30));
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(1, job.GetProperty("attempt").GetInt32());
        Assert.Equal(0, job.GetProperty("retryCount").GetInt32());
        // Run once: picked up by one delivery, never redelivered.
        Assert.Equal(1, await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM job_logs WHERE job_id = @p0 AND message LIKE 'Attempt % picked up by %'", jobId));
        Assert.Equal(0, await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM browser_workers WHERE status <> 'offline' AND (metadata ->> 'pid')::int = @p0", worker.Id));
    }

    [Fact]
    public async Task A_job_still_running_when_the_drain_times_out_returns_to_the_queue_without_failing_and_another_worker_runs_it()
    {
        await EnsureWorkerAsync(new() { ["WORKER_DRAIN_TIMEOUT_MS"] = "300" });
        var worker = stack.Worker;
        var jobId = await stack.SubmitAsync(new
        {
            browserTypeId = 1, actionType = "visit", timeoutMs = 60_000, payload = new { url = stack.Faults.Url("/slow?ms=6000") },
        });
        await WaitForStatusAsync(jobId, "processing");

        await worker.StopAsync(TimeSpan.FromSeconds(60));

        Assert.True(worker.ExitCode == 0, $"the worker exited with {worker.ExitCode}:\n{worker.Tail}");
        var returned = await stack.GetJobAsync(jobId);
        Assert.NotEqual("failed", returned.GetProperty("status").GetString());
        Assert.Equal(0, returned.GetProperty("retryCount").GetInt32());

        await EnsureWorkerAsync([]);
        var job = await stack.WaitForFinalStatusAsync(jobId, TimeSpan.FromSeconds(90));
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(0, job.GetProperty("retryCount").GetInt32());
        Assert.Equal(1, job.GetProperty("attempt").GetInt32());
    }

    private async Task EnsureWorkerAsync(Dictionary<string, string> settings)
    {
        if (!stack.Worker.HasExited && settings.Count == 0)
        {
            return;
        }

        if (!stack.Worker.HasExited)
        {
            await stack.Worker.StopAsync(TimeSpan.FromSeconds(60));
        }

        await stack.WaitForWorkerAsync(stack.StartWorker(settings));
    }

    private async Task WaitForStatusAsync(Guid jobId, string status) =>
        await Wait.UntilAsync(async () => (await stack.GetJobAsync(jobId)).GetProperty("status").GetString() == status,
            TimeSpan.FromSeconds(60), $"job {jobId} to be {status}:\n{stack.Worker.Tail}");
}
