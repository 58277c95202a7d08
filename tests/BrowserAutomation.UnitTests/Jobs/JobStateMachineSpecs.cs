using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using MassTransit;
using MassTransit.Saga;
using MassTransit.Testing;
using JobStateMachine = BrowserAutomation.Persistence.Jobs.JobStateMachine;
using Microsoft.Extensions.DependencyInjection;

namespace BrowserAutomation.UnitTests.Jobs;

/// <summary>The job state machine in MassTransit's in-memory test harness (no servers).</summary>
public sealed class JobStateMachineSpecs : IAsyncLifetime
{
    ServiceProvider _provider = null!;
    ITestHarness _harness = null!;
    ISagaStateMachineTestHarness<JobStateMachine, AutomationJob> _saga = null!;
    IndexedSagaDictionary<AutomationJob> _instances = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddMassTransitTestHarness(x => x.AddSagaStateMachine<JobStateMachine, AutomationJob>().InMemoryRepository())
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _instances = _provider.GetRequiredService<IndexedSagaDictionary<AutomationJob>>();
        await _harness.Start();
        _saga = _harness.GetSagaStateMachineHarness<JobStateMachine, AutomationJob>();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
    }

    AutomationJob Pending(int attempt = 1)
    {
        var job = new AutomationJob
        {
            Id = NewId.NextGuid(),
            TargetUrl = "http://127.0.0.1/",
            Actions = "[]",
            CurrentState = "Pending",
            Attempt = attempt,
            CreatedAt = DateTime.UtcNow,
        };
        _instances.Add(new SagaInstance<AutomationJob>(job));
        return job;
    }

    async Task<string> ConsumeAndGetState<T>(T message, Guid jobId)
        where T : class
    {
        var messageId = NewId.NextGuid();
        await _harness.Bus.Publish(message, c => c.MessageId = messageId);
        Assert.True(await _saga.Consumed.Any<T>(m => m.Context.MessageId == messageId), $"the saga did not consume {typeof(T).Name}");
        return _saga.Sagas.Contains(jobId)!.CurrentState;
    }

    [Fact]
    public async Task Pending_to_processing_to_completed()
    {
        var job = Pending();
        var started = DateTime.UtcNow;

        Assert.Equal("Processing", await ConsumeAndGetState(new JobStarted { JobId = job.Id, Attempt = 1, StartedAt = started }, job.Id));
        Assert.Equal(started, job.StartedAt);

        var completed = new JobCompleted { JobId = job.Id, Attempt = 1, StartedAt = started, CompletedAt = started.AddSeconds(1), Result = new JobResult { DurationMs = 1000 } };
        Assert.Equal("Completed", await ConsumeAndGetState(completed, job.Id));
        Assert.Equal(started.AddSeconds(1), job.CompletedAt);
        Assert.Contains("\"durationMs\":1000", job.Result, StringComparison.Ordinal);
        Assert.True(await _harness.Published.Any<JobStatusChanged>(m => m.Context.Message.JobId == job.Id && m.Context.Message.Status == "completed"
            && m.Context.Message.PreviousStatus == "processing"));
    }

    [Fact]
    public async Task Completed_before_started_completes_and_the_late_start_is_ignored()
    {
        var job = Pending();
        var started = DateTime.UtcNow;

        var completed = new JobCompleted { JobId = job.Id, Attempt = 1, StartedAt = started, CompletedAt = started.AddSeconds(1), Result = new JobResult() };
        Assert.Equal("Completed", await ConsumeAndGetState(completed, job.Id));
        Assert.Equal(started, job.StartedAt);

        Assert.Equal("Completed", await ConsumeAndGetState(new JobStarted { JobId = job.Id, Attempt = 1, StartedAt = started.AddSeconds(5) }, job.Id));
        Assert.Equal(started, job.StartedAt);
    }

    [Fact]
    public async Task A_duplicate_start_changes_nothing()
    {
        var job = Pending();
        var first = DateTime.UtcNow;
        await ConsumeAndGetState(new JobStarted { JobId = job.Id, Attempt = 1, StartedAt = first }, job.Id);
        Assert.Equal("Processing", await ConsumeAndGetState(new JobStarted { JobId = job.Id, Attempt = 1, StartedAt = first.AddSeconds(3) }, job.Id));
        Assert.Equal(first, job.StartedAt);
        Assert.Equal(1, _harness.Published.Select<JobStatusChanged>().Count(m => m.Context.Message.JobId == job.Id));
    }

    [Fact]
    public async Task A_failure_after_completion_does_not_reopen_the_job()
    {
        var job = Pending();
        await ConsumeAndGetState(new JobCompleted { JobId = job.Id, Attempt = 1, StartedAt = DateTime.UtcNow, CompletedAt = DateTime.UtcNow, Result = new JobResult() }, job.Id);
        var failed = new JobFailed { JobId = job.Id, Attempt = 1, FailedAt = DateTime.UtcNow, ErrorType = JobErrorTypes.Timeout, ErrorMessage = "late" };
        Assert.Equal("Completed", await ConsumeAndGetState(failed, job.Id));
        Assert.Null(job.ErrorType);
    }

    [Fact]
    public async Task Events_of_a_stale_attempt_are_ignored()
    {
        var job = Pending(attempt: 2);
        var stale = new JobFailed { JobId = job.Id, Attempt = 1, FailedAt = DateTime.UtcNow, ErrorType = JobErrorTypes.Timeout, ErrorMessage = "old attempt" };
        Assert.Equal("Pending", await ConsumeAndGetState(stale, job.Id));
        Assert.Null(job.ErrorType);
    }

    [Fact]
    public async Task A_failure_records_type_and_message()
    {
        var job = Pending();
        var failed = new JobFailed { JobId = job.Id, Attempt = 1, FailedAt = DateTime.UtcNow, ErrorType = JobErrorTypes.NavigationFailed, ErrorMessage = "net::ERR_CONNECTION_REFUSED" };
        Assert.Equal("Failed", await ConsumeAndGetState(failed, job.Id));
        Assert.Equal(JobErrorTypes.NavigationFailed, job.ErrorType);
        Assert.Equal("net::ERR_CONNECTION_REFUSED", job.ErrorMessage);
    }

    [Fact]
    public async Task Events_for_unknown_jobs_are_discarded_without_faults()
    {
        var message = new JobStarted { JobId = Guid.NewGuid(), Attempt = 1, StartedAt = DateTime.UtcNow };
        await _harness.Bus.Publish(message);
        Assert.True(await _harness.Consumed.Any<JobStarted>(m => m.Context.Message.JobId == message.JobId));
        Assert.False(await _harness.Published.Any<Fault<JobStarted>>());
    }
}
