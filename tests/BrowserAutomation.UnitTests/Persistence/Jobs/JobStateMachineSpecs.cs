using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Persistence.Jobs;
using MassTransit;
using MassTransit.Saga;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using JobStateMachine = BrowserAutomation.Persistence.Jobs.JobStateMachine;

namespace BrowserAutomation.UnitTests.Persistence.Jobs;

/// <summary>The job state machine in MassTransit's in-memory test harness (no servers).</summary>
public sealed class JobStateMachineSpecs : IAsyncLifetime
{
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private ISagaStateMachineTestHarness<JobStateMachine, AutomationJob> _saga = null!;
    private IndexedSagaDictionary<AutomationJob> _instances = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .Configure<JobLifecycleOptions>(o => o.RetryBaseDelayMs = 10)
            .AddMassTransitTestHarness(x =>
            {
                // As in production: retries and the watchdog are delayed messages.
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(5));
                x.ConfigureUsageTelemetryOptions(options => options.Enabled = false);
                x.AddDelayedMessageScheduler();
                x.AddSagaStateMachine<JobStateMachine, AutomationJob>().InMemoryRepository();
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.ConfigureEndpoints(context);
                });
            })
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

    private AutomationJob Pending(int attempt = 1)
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

    private async Task<string> ConsumeAndGetState<T>(T message, Guid jobId, Guid? schedulingToken = null)
        where T : class
    {
        var messageId = NewId.NextGuid();
        await _harness.Bus.Publish(message, c =>
        {
            c.MessageId = messageId;
            if (schedulingToken is { } token)
            {
                c.Headers.Set(MessageHeaders.SchedulingTokenId, token);
            }
        });
        Assert.True(await _saga.Consumed.Any<T>(m => m.Context.MessageId == messageId), $"the saga did not consume {typeof(T).Name}");
        return _saga.Sagas.Contains(jobId)!.CurrentState;
    }

    [Fact]
    public async Task Pending_to_processing_to_completed()
    {
        var job = Pending();
        var started = DateTime.UtcNow;

        Assert.Equal("Processing", await ConsumeAndGetState(new JobAttemptStarted { JobId = job.Id, Attempt = 1, StartedAt = started }, job.Id));
        Assert.Equal(started, job.StartedAt);

        var completed = new JobAttemptCompleted { JobId = job.Id, Attempt = 1, StartedAt = started, CompletedAt = started.AddSeconds(1), Result = new JobResult { DurationMs = 1000 } };
        Assert.Equal("Completed", await ConsumeAndGetState(completed, job.Id));
        Assert.Equal(started.AddSeconds(1), job.CompletedAt);
        Assert.Contains("\"durationMs\":1000", job.Result, StringComparison.Ordinal);
        Assert.True(await _harness.Published.Any<JobStatusChanged>(m => m.Context.Message.JobId == job.Id && m.Context.Message.Status == "completed"
            && m.Context.Message.PreviousStatus == "processing" && m.Context.Message.Version == 2));
        Assert.True(await _harness.Published.Any<JobCompleted>(m => m.Context.Message.JobId == job.Id));
    }

    [Fact]
    public async Task Completed_before_started_completes_and_the_late_start_is_ignored()
    {
        var job = Pending();
        var started = DateTime.UtcNow;

        var completed = new JobAttemptCompleted { JobId = job.Id, Attempt = 1, StartedAt = started, CompletedAt = started.AddSeconds(1), Result = new JobResult() };
        Assert.Equal("Completed", await ConsumeAndGetState(completed, job.Id));
        Assert.Equal(started, job.StartedAt);

        Assert.Equal("Completed", await ConsumeAndGetState(new JobAttemptStarted { JobId = job.Id, Attempt = 1, StartedAt = started.AddSeconds(5) }, job.Id));
        Assert.Equal(started, job.StartedAt);
    }

    [Fact]
    public async Task A_duplicate_start_changes_nothing()
    {
        var job = Pending();
        var first = DateTime.UtcNow;
        await ConsumeAndGetState(new JobAttemptStarted { JobId = job.Id, Attempt = 1, StartedAt = first }, job.Id);
        Assert.Equal("Processing", await ConsumeAndGetState(new JobAttemptStarted { JobId = job.Id, Attempt = 1, StartedAt = first.AddSeconds(3) }, job.Id));
        Assert.Equal(first, job.StartedAt);
        Assert.Equal(1, _harness.Published.Select<JobStatusChanged>().Count(m => m.Context.Message.JobId == job.Id));
    }

    [Fact]
    public async Task A_failure_after_completion_does_not_reopen_the_job()
    {
        var job = Pending();
        await ConsumeAndGetState(new JobAttemptCompleted { JobId = job.Id, Attempt = 1, StartedAt = DateTime.UtcNow, CompletedAt = DateTime.UtcNow, Result = new JobResult() }, job.Id);
        var failed = new JobAttemptFailed { JobId = job.Id, Attempt = 1, FailedAt = DateTime.UtcNow, ErrorType = JobErrorTypes.Timeout, ErrorMessage = "late" };
        Assert.Equal("Completed", await ConsumeAndGetState(failed, job.Id));
        Assert.Null(job.ErrorType);
    }

    [Fact]
    public async Task Events_of_a_stale_attempt_are_ignored()
    {
        var job = Pending(attempt: 2);
        var stale = new JobAttemptFailed { JobId = job.Id, Attempt = 1, FailedAt = DateTime.UtcNow, ErrorType = JobErrorTypes.Timeout, ErrorMessage = "old attempt" };
        Assert.Equal("Pending", await ConsumeAndGetState(stale, job.Id));
        Assert.Null(job.ErrorType);
    }

    [Fact]
    public async Task A_permanent_failure_fails_at_once_and_is_announced()
    {
        var job = Pending();
        var failed = new JobAttemptFailed { JobId = job.Id, Attempt = 1, FailedAt = DateTime.UtcNow, ErrorType = JobErrorTypes.SelectorNotFound, ErrorMessage = "#missing matched nothing" };
        Assert.Equal("Failed", await ConsumeAndGetState(failed, job.Id));
        Assert.Equal(JobErrorTypes.SelectorNotFound, job.ErrorType);
        Assert.Equal("#missing matched nothing", job.ErrorMessage);
        Assert.Equal(0, job.RetryCount);
        Assert.True(await _harness.Published.Any<JobFailed>(m => m.Context.Message.JobId == job.Id && m.Context.Message.RetryCount == 0));
        Assert.False(await _harness.Published.Any<JobRequested>(m => m.Context.Message.JobId == job.Id));
    }

    [Fact]
    public async Task A_transient_failure_becomes_a_new_attempt_until_the_retries_run_out()
    {
        var job = Pending();
        job.MaxRetries = 2;

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var failed = new JobAttemptFailed { JobId = job.Id, Attempt = attempt, FailedAt = DateTime.UtcNow, ErrorType = JobErrorTypes.NavigationFailed, ErrorMessage = "net::ERR_CONNECTION_RESET" };
            Assert.Equal("Pending", await ConsumeAndGetState(failed, job.Id));
            Assert.Equal(attempt, job.RetryCount);
            Assert.Equal(attempt + 1, job.Attempt);
            var next = attempt + 1;
            Assert.True(await _harness.Published.Any<JobRequested>(m => m.Context.Message.JobId == job.Id && m.Context.Message.Attempt == next));
        }

        var last = new JobAttemptFailed { JobId = job.Id, Attempt = 3, FailedAt = DateTime.UtcNow, ErrorType = JobErrorTypes.Timeout, ErrorMessage = "too slow" };
        Assert.Equal("Failed", await ConsumeAndGetState(last, job.Id));
        Assert.Equal(2, job.RetryCount);
        Assert.Equal(JobErrorTypes.Timeout, job.ErrorType);
        Assert.True(await _harness.Published.Any<JobFailed>(m => m.Context.Message.JobId == job.Id && m.Context.Message.RetryCount == 2));
    }

    [Fact]
    public async Task A_silent_attempt_is_failed_by_the_watchdog_and_a_stale_watchdog_is_ignored()
    {
        var job = Pending();
        job.MaxRetries = 0;
        await ConsumeAndGetState(new JobAttemptStarted { JobId = job.Id, Attempt = 1, StartedAt = DateTime.UtcNow }, job.Id);

        Assert.NotNull(job.AttemptTimeoutTokenId);

        // A watchdog scheduled for an earlier attempt carries another token.
        Assert.Equal("Processing", await ConsumeAndGetState(new AttemptTimedOut { JobId = job.Id, Attempt = 1 }, job.Id, Guid.NewGuid()));
        Assert.Equal("Failed", await ConsumeAndGetState(new AttemptTimedOut { JobId = job.Id, Attempt = 1 }, job.Id, job.AttemptTimeoutTokenId));
        Assert.Equal(JobErrorTypes.Timeout, job.ErrorType);
    }

    /// <summary>Publishes what MassTransit publishes when a worker's delivery of <paramref name="attempt"/> faults.</summary>
    private async Task<string> FaultRequestAndGetState(AutomationJob job, int attempt, Exception? exception = null)
    {
        var messageId = NewId.NextGuid();
        var request = new JobRequested
        {
            JobId = job.Id, Attempt = attempt, BrowserTypeId = 1, Engine = "chromium", TargetUrl = job.TargetUrl, Actions = [],
        };
        Fault<JobRequested> fault = new MassTransit.Events.FaultEvent<JobRequested>(request, NewId.NextGuid(), MassTransit.Metadata.HostMetadataCache.Host,
            exception ?? new InvalidOperationException("An error occurred; see the inner exception.", new TimeoutException("injected")), MessageTypeCache<JobRequested>.MessageTypeNames);
        await _harness.Bus.Publish(fault, c => c.MessageId = messageId);
        Assert.True(await _saga.Consumed.Any<Fault<JobRequested>>(m => m.Context.MessageId == messageId), "the saga did not consume the fault");
        return _saga.Sagas.Contains(job.Id)!.CurrentState;
    }

    [Fact]
    public async Task A_faulted_request_is_a_failed_attempt_retried_while_retries_last()
    {
        var job = Pending();
        job.MaxRetries = 1;

        Assert.Equal("Pending", await FaultRequestAndGetState(job, attempt: 1));
        Assert.Equal(1, job.RetryCount);
        Assert.Equal(2, job.Attempt);
        Assert.True(await _harness.Published.Any<JobRequested>(m => m.Context.Message.JobId == job.Id && m.Context.Message.Attempt == 2));

        // A delivery cancelled by its worker's shutdown is back in its queue: not a failed attempt.
        Assert.Equal("Pending", await FaultRequestAndGetState(job, attempt: 2, new OperationCanceledException("The worker is shutting down")));
        Assert.Equal(1, job.RetryCount);

        // A fault of the attempt already replaced changes nothing.
        Assert.Equal("Pending", await FaultRequestAndGetState(job, attempt: 1));
        Assert.Equal(2, job.Attempt);

        // Started, then faulted (the outcome could not be recorded): no retries left, the job fails and says why.
        await ConsumeAndGetState(new JobAttemptStarted { JobId = job.Id, Attempt = 2, StartedAt = DateTime.UtcNow }, job.Id);
        Assert.Equal("Failed", await FaultRequestAndGetState(job, attempt: 2));
        Assert.Equal(JobErrorTypes.Internal, job.ErrorType);
        Assert.Equal("Attempt 2's request faulted at a chromium worker, which could not run it (System.TimeoutException: injected)", job.ErrorMessage);
        Assert.True(await _harness.Published.Any<JobFailed>(m => m.Context.Message.JobId == job.Id && m.Context.Message.ErrorType == JobErrorTypes.Internal));

        // Finished jobs ignore late faults.
        Assert.Equal("Failed", await FaultRequestAndGetState(job, attempt: 2));
    }

    [Fact]
    public async Task Events_for_unknown_jobs_are_discarded_without_faults()
    {
        var message = new JobAttemptStarted { JobId = Guid.NewGuid(), Attempt = 1, StartedAt = DateTime.UtcNow };
        await _harness.Bus.Publish(message);
        Assert.True(await _harness.Consumed.Any<JobAttemptStarted>(m => m.Context.Message.JobId == message.JobId));
        Assert.False(await _harness.Published.Any<Fault<JobAttemptStarted>>());
    }
}
