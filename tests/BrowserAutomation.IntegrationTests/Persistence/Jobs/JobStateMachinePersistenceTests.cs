using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BrowserAutomation.IntegrationTests.Persistence.Jobs;

/// <summary>The job state machine on its PostgreSQL saga repository, consumer outbox and inbox.</summary>
public sealed class JobStateMachinePersistenceTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestVirtualHost _vhost = null!;
    private IHost _host = null!;
    private IBus _bus = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _vhost = await TestVirtualHost.CreateAsync();
        _host = TestHosts.Create(_database, _vhost, x => x.AddJobStateMachine(), (context, cfg) => cfg.ConfigureEndpoints(context));
        await _host.StartAsync();
        _bus = _host.Services.GetRequiredService<IBus>();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Started_then_completed_records_the_transitions()
    {
        var jobId = await CreateJobAsync();
        var startedAt = DateTime.UtcNow;

        await _bus.Publish(new JobAttemptStarted { JobId = jobId, Attempt = 1, StartedAt = startedAt });
        var processing = await WaitForStatusAsync(jobId, "Processing");
        Assert.NotNull(processing.StartedAt);
        const string watchdogRows = "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%:AttemptTimedOut%' AND body LIKE '%' || @p0 || '%'";
        Assert.Equal(1, await _database.ScalarAsync<long>(watchdogRows, jobId.ToString()));

        await _bus.Publish(Completed(jobId, 1, startedAt));
        var completed = await WaitForStatusAsync(jobId, "Completed");
        Assert.NotNull(completed.CompletedAt);
        Assert.Equal(123, System.Text.Json.JsonDocument.Parse(completed.Result!).RootElement.GetProperty("durationMs").GetInt32());
        Assert.Null(completed.ErrorMessage);
        // The attempt reported, so its watchdog was deleted from the outbox rather than left to fire.
        Assert.Equal(0, await _database.ScalarAsync<long>(watchdogRows, jobId.ToString()));
    }

    [Fact]
    public async Task Duplicate_and_out_of_order_events_finish_the_job_once_and_never_move_it_backwards()
    {
        var jobId = await CreateJobAsync();
        var startedAt = DateTime.UtcNow;
        var completedId = NewId.NextGuid();

        // Completed overtakes Started and arrives twice (same message id).
        await _bus.Publish(Completed(jobId, 1, startedAt), c => c.MessageId = completedId);
        await _bus.Publish(Completed(jobId, 1, startedAt), c => c.MessageId = completedId);
        await _bus.Publish(new JobAttemptStarted { JobId = jobId, Attempt = 1, StartedAt = startedAt });
        await WaitForStatusAsync(jobId, "Completed");

        // Once finished, a late failure report (e.g. from a watchdog) must not reopen or re-finish the job.
        await _bus.Publish(new JobAttemptFailed { JobId = jobId, Attempt = 1, FailedAt = DateTime.UtcNow, ErrorType = "timeout", ErrorMessage = "late" });
        await Wait.UntilAsync(async () => await _database.ScalarAsync<long>(
                "SELECT coalesce(sum(receive_count), 0) FROM inbox_states") >= 4,
            TimeSpan.FromSeconds(20), "all four deliveries to reach the saga");

        var job = await LoadAsync(jobId);
        Assert.Equal("Completed", job.CurrentState);
        Assert.Null(job.ErrorType);
        Assert.Equal(1, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM job_logs WHERE job_id = @p0 AND message LIKE '%completed%'", jobId));
        Assert.Equal(0, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM job_logs WHERE job_id = @p0 AND message LIKE '%failed%'", jobId));
    }

    [Fact]
    public async Task Events_of_another_attempt_are_ignored()
    {
        var jobId = await CreateJobAsync();
        await _bus.Publish(new JobAttemptFailed { JobId = jobId, Attempt = 2, FailedAt = DateTime.UtcNow, ErrorType = "timeout", ErrorMessage = "stale" });
        await _bus.Publish(new JobAttemptStarted { JobId = jobId, Attempt = 1, StartedAt = DateTime.UtcNow });

        await WaitForStatusAsync(jobId, "Processing");
        await Wait.UntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM inbox_states WHERE consumed IS NOT NULL") >= 2,
            TimeSpan.FromSeconds(20), "both events to be consumed");
        Assert.Null((await LoadAsync(jobId)).ErrorType);
    }

    [Fact]
    public async Task Racing_started_and_completed_events_for_many_jobs_all_end_completed()
    {
        var jobs = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            jobs.Add(await CreateJobAsync());
        }

        var startedAt = DateTime.UtcNow;
        await Task.WhenAll(jobs.SelectMany(id => new[]
        {
            _bus.Publish(new JobAttemptStarted { JobId = id, Attempt = 1, StartedAt = startedAt }),
            _bus.Publish(Completed(id, 1, startedAt)),
        }));

        await Wait.UntilAsync(async () => await _database.ScalarAsync<long>(
                "SELECT count(*) FROM automation_jobs WHERE status = 'completed'") == jobs.Count,
            TimeSpan.FromSeconds(30), "every job to complete");
        Assert.Equal(jobs.Count, await _database.ScalarAsync<long>("SELECT count(*) FROM job_logs WHERE message LIKE '%completed%'"));
    }

    [Fact]
    public async Task A_failure_records_the_error()
    {
        var jobId = await CreateJobAsync();
        await _bus.Publish(new JobAttemptFailed
        {
            JobId = jobId, Attempt = 1, FailedAt = DateTime.UtcNow, ErrorType = JobErrorTypes.SelectorNotFound, ErrorMessage = "#missing matched nothing",
        });

        var failed = await WaitForStatusAsync(jobId, "Failed");
        Assert.Equal(JobErrorTypes.SelectorNotFound, failed.ErrorType);
        Assert.Equal("#missing matched nothing", failed.ErrorMessage);
        Assert.NotNull(failed.CompletedAt);
    }

    private static JobAttemptCompleted Completed(Guid jobId, int attempt, DateTime startedAt) => new()
    {
        JobId = jobId,
        Attempt = attempt,
        StartedAt = startedAt,
        CompletedAt = DateTime.UtcNow,
        Result = new JobResult { DurationMs = 123 },
    };

    private Task<Guid> CreateJobAsync() => _database.InsertPendingJobAsync();

    private async Task<AutomationJob> LoadAsync(Guid jobId)
    {
        await using var db = _database.CreateDbContext();
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
    }

    private async Task<AutomationJob> WaitForStatusAsync(Guid jobId, string state)
    {
        AutomationJob? job = null;
        await Wait.UntilAsync(async () => (job = await LoadAsync(jobId)).CurrentState == state, TimeSpan.FromSeconds(20),
            $"job {jobId} to become {state}");
        return job!;
    }
}
