using System.Text.Json;
using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BrowserAutomation.Persistence.Jobs;

/// <summary>
/// Owns <c>automation_jobs.status</c>. Rows are created in state Pending with their first <see cref="JobRequested"/>
/// (one transaction); workers report <see cref="JobAttemptStarted"/>, <see cref="JobAttemptCompleted"/> and
/// <see cref="JobAttemptFailed"/>. Transient failures are retried with exponential backoff and jitter (a new attempt,
/// delayed through the outbox); permanent ones fail at once; a watchdog counts a silent attempt as a timeout. Events of
/// another attempt, duplicates and late arrivals never move a job backwards or finish it twice. Every transition
/// publishes <see cref="JobStatusChanged"/>; the end publishes <see cref="JobCompleted"/> or <see cref="JobFailed"/>.
/// Cancellation is done by the API under the same row lock, through the same transition (see <see cref="JobCancellation"/>).
/// A request whose delivery faulted at a worker (MassTransit publishes <see cref="Fault{T}"/> once the worker's retries
/// are spent) is a failed attempt too, so an accepted job never waits forever for a request that sits in an error queue.
/// </summary>
public sealed class JobStateMachine : MassTransitStateMachine<AutomationJob>
{
    private readonly JobLifecycleOptions _options;

    public JobStateMachine(IOptions<JobLifecycleOptions> options)
    {
        _options = options.Value;

        InstanceState(x => x.CurrentState);

        Event(() => AttemptStarted, e => { e.CorrelateById(c => c.Message.JobId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => AttemptCompleted, e => { e.CorrelateById(c => c.Message.JobId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => AttemptFailed, e => { e.CorrelateById(c => c.Message.JobId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => DeadlineReached, e => { e.CorrelateById(c => c.Message.JobId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => RequestFaulted, e => { e.CorrelateById(c => c.Message.Message.JobId); e.OnMissingInstance(m => m.Discard()); });
        Schedule(() => AttemptTimeout, x => x.AttemptTimeoutTokenId, s =>
        {
            s.Delay = TimeSpan.FromSeconds(45);
            s.Received = r =>
            {
                r.CorrelateById(c => c.Message.JobId);
                r.OnMissingInstance(m => m.Discard());
            };
        });

        During(Pending,
            When(AttemptStarted, c => c.Message.Attempt == c.Saga.Attempt)
                .Then(c =>
                {
                    c.Saga.StartedAt ??= c.Message.StartedAt;
                    Log(c, "info", $"Attempt {c.Message.Attempt} started");
                })
                .Schedule(AttemptTimeout, c => c.Init<AttemptTimedOut>(new AttemptTimedOut { JobId = c.Saga.Id, Attempt = c.Saga.Attempt }),
                    c => TimeSpan.FromMilliseconds(c.Saga.TimeoutMs + _options.AttemptGraceMs))
                .ThenAsync(c => Move(c, Processing)));

        // A job still waiting for a worker (first attempt or a retry) at its deadline ends expired; a running one goes on.
        During(Pending,
            When(DeadlineReached, c => JobDeadlines.Ends(c.Saga, c.Message))
                .ThenAsync(c => ExpireAsync(c, JobDeadlines.Describe(c.Saga, c.Message.Deadline))));

        During(Pending, Processing,
            When(AttemptCompleted, c => c.Message.Attempt == c.Saga.Attempt)
                .Then(c =>
                {
                    c.Saga.StartedAt ??= c.Message.StartedAt;
                    c.Saga.CompletedAt = c.Message.CompletedAt;
                    c.Saga.Result = JsonSerializer.Serialize(c.Message.Result, JobRequests.Json);
                    c.Saga.ErrorType = null;
                    c.Saga.ErrorMessage = null;
                    Log(c, "info", $"Attempt {c.Message.Attempt} completed", new { durationMs = c.Message.Result.DurationMs });
                })
                .ThenAsync(DropWatchdogAsync)
                .Unschedule(AttemptTimeout)
                .ThenAsync(c => Move(c, Completed))
                .PublishAsync(c => c.Init<JobCompleted>(new JobCompleted
                {
                    JobId = c.Saga.Id,
                    ClientReference = c.Saga.ClientReference,
                    CompletedAt = c.Saga.CompletedAt!.Value,
                    RetryCount = c.Saga.RetryCount,
                    Result = c.Message.Result,
                })),
            When(AttemptFailed, c => c.Message.Attempt == c.Saga.Attempt)
                .Then(c =>
                {
                    // An attempt acknowledged after its deadline never started; StartedAt stays as it was.
                    c.Saga.StartedAt ??= c.Message.StartedAt;
                    if (c.Message.Result is not null)
                    {
                        c.Saga.Result = JsonSerializer.Serialize(c.Message.Result, JobRequests.Json);
                    }
                })
                .ThenAsync(DropWatchdogAsync)
                .Unschedule(AttemptTimeout)
                .ThenAsync(c => FailAttemptAsync(c, c.Message.ErrorType, c.Message.ErrorMessage)),
            When(AttemptTimeout.Received, c => c.Message.Attempt == c.Saga.Attempt)
                .ThenAsync(c => FailAttemptAsync(c, JobErrorTypes.Timeout,
                    $"Attempt {c.Message.Attempt} reported no outcome within {c.Saga.TimeoutMs + _options.AttemptGraceMs} ms (worker lost or hung)")),
            // The worker could not handle the request at all (not the page's failure): retried like a transient failure,
            // since the cause is the service's, while the job has retries left. The faulted message stays in the engine
            // queue's _error queue; moved back, it is a stale attempt and skipped.
            When(RequestFaulted, c => c.Message.Message.Attempt == c.Saga.Attempt && !ReturnedToQueue(c.Message))
                .Then(c => AutomationMetrics.DeliveryFaulted(c.Saga.Engine))
                .ThenAsync(DropWatchdogAsync)
                .Unschedule(AttemptTimeout)
                .ThenAsync(c => FailAttemptAsync(c, JobErrorTypes.Internal, DescribeFault(c.Message), transient: true)));

        During(Processing, Ignore(AttemptStarted));
        During(Completed, Failed, Cancelled, Expired,
            Ignore(AttemptStarted), Ignore(AttemptCompleted), Ignore(AttemptFailed), Ignore(AttemptTimeout.Received), Ignore(DeadlineReached),
            Ignore(RequestFaulted));

        // Stale attempts (filtered out above) and anything else unexpected are dropped, never faulted.
        OnUnhandledEvent(x => x.Ignore());
    }

    public State Pending { get; private set; } = null!;

    public State Processing { get; private set; } = null!;

    public State Completed { get; private set; } = null!;

    public State Failed { get; private set; } = null!;

    public State Cancelled { get; private set; } = null!;

    public State Expired { get; private set; } = null!;

    public Event<JobAttemptStarted> AttemptStarted { get; private set; } = null!;

    public Event<JobAttemptCompleted> AttemptCompleted { get; private set; } = null!;

    public Event<JobAttemptFailed> AttemptFailed { get; private set; } = null!;

    public Event<JobDeadlineReached> DeadlineReached { get; private set; } = null!;

    public Event<Fault<JobRequested>> RequestFaulted { get; private set; } = null!;

    public Schedule<AutomationJob, AttemptTimedOut> AttemptTimeout { get; private set; } = null!;

    /// <summary>
    /// A transient failure with retries left becomes a new, delayed attempt; anything else fails the job.
    /// <paramref name="transient"/> overrides what the error type says.
    /// </summary>
    private async Task FailAttemptAsync<T>(BehaviorContext<AutomationJob, T> context, string errorType, string errorMessage, bool? transient = null)
        where T : class
    {
        var retriable = transient ?? JobErrorTypes.IsTransient(errorType);
        var job = context.Saga;
        if (errorType == JobErrorTypes.DeadlineExpired)
        {
            // A worker received the attempt after its deadline and acknowledged it without a browser.
            await ExpireAsync(context, errorMessage);
            return;
        }

        job.ErrorType = errorType;
        job.ErrorMessage = errorMessage;

        if (retriable && job.RetryCount < job.MaxRetries && JobDeadlines.RetryTooLate(job, _options.RetryDelay(job.RetryCount + 1)))
        {
            Log(context, "warn", $"Attempt {job.Attempt} failed: {errorType}: {errorMessage}; a retry would start after the job's expiresAt");
            await ExpireAsync(context, $"Attempt {job.Attempt} failed ({errorType}) and a retry would start after its expiresAt ({job.ExpiresAt:O})",
                keepError: true);
            return;
        }

        if (retriable && job.RetryCount < job.MaxRetries)
        {
            job.RetryCount++;
            var failedAttempt = job.Attempt;
            job.Attempt++;
            var delay = _options.RetryDelay(job.RetryCount);
            Log(context, "warn", $"Attempt {failedAttempt} failed: {errorType}: {errorMessage}; retry {job.RetryCount} of {job.MaxRetries} in {delay.TotalMilliseconds:0} ms",
                new { errorType, retry = job.RetryCount, delayMs = (long)delay.TotalMilliseconds });
            await Move(context, Pending);

            var next = JobRequests.ForCurrentAttempt(job);
            await context.Publish(next, send =>
            {
                send.Delay = delay;
                send.SetJobPriority(next.Priority);
            });
            AutomationMetrics.RetryScheduled(job.Engine, errorType);
            return;
        }

        job.CompletedAt = DateTime.UtcNow;
        Log(context, "error", $"Attempt {job.Attempt} failed: {errorType}: {errorMessage}", new { errorType, retryCount = job.RetryCount });
        await Move(context, Failed);
        await context.Publish(new JobFailed
        {
            JobId = job.Id,
            ClientReference = job.ClientReference,
            FailedAt = job.CompletedAt.Value,
            ErrorType = errorType,
            ErrorMessage = errorMessage,
            RetryCount = job.RetryCount,
            Result = job.Result is null ? null : JsonSerializer.Deserialize<JobResult>(job.Result, JobRequests.Json),
        });
    }

    /// <summary>
    /// A delivery cancelled by its worker's shutdown (the drain ran out of time) goes back to its queue for another
    /// worker, and MassTransit reports it as a fault all the same; the worker lets no other cancellation escape.
    /// </summary>
    internal static bool ReturnedToQueue(Fault<JobRequested> fault) =>
        fault.Exceptions?.FirstOrDefault()?.ExceptionType is "System.OperationCanceledException" or "System.Threading.Tasks.TaskCanceledException";

    /// <summary>The error message of a faulted request: the worker's innermost exception, shortened, never the request's contents.</summary>
    internal static string DescribeFault(Fault<JobRequested> fault)
    {
        // The innermost exception says what went wrong; the outer ones are wrappers ("see the inner exception").
        var exception = fault.Exceptions?.FirstOrDefault();
        while (exception?.InnerException is { } inner)
        {
            exception = inner;
        }

        var cause = exception is null ? "no exception was reported" : $"{exception.ExceptionType}: {exception.Message}";
        if (cause.Length > 300)
        {
            cause = cause[..300] + "…";
        }

        return $"Attempt {fault.Message.Attempt}'s request faulted at a {fault.Message.Engine} worker, which could not run it ({cause})";
    }

    /// <summary>
    /// Ends the job expired: the caller's deadline passed before a worker started it (or before a retry could). Bus
    /// clients that wait for an outcome get <see cref="JobFailed"/> with <see cref="JobErrorTypes.DeadlineExpired"/>.
    /// </summary>
    private async Task ExpireAsync<T>(BehaviorContext<AutomationJob, T> context, string reason, bool keepError = false)
        where T : class
    {
        var job = context.Saga;
        if (!keepError)
        {
            job.ErrorType = JobErrorTypes.DeadlineExpired;
            job.ErrorMessage = reason;
        }

        job.CompletedAt = DateTime.UtcNow;
        Log(context, "warn", $"Job expired: {reason}", new { startBy = job.StartBy, expiresAt = job.ExpiresAt });
        await Move(context, Expired);
        AutomationMetrics.JobExpired(job.Engine);
        await context.Publish(new JobFailed
        {
            JobId = job.Id,
            ClientReference = job.ClientReference,
            FailedAt = job.CompletedAt.Value,
            ErrorType = JobErrorTypes.DeadlineExpired,
            ErrorMessage = reason,
            RetryCount = job.RetryCount,
        });
    }

    /// <summary>Transitions and announces it, exactly as a cancellation does (see <see cref="JobTransitions"/>).</summary>
    private static Task Move<T>(BehaviorContext<AutomationJob, T> context, State to)
        where T : class =>
        JobTransitions.MoveAsync(context.Saga, to.Name, context, DateTime.UtcNow, context.CancellationToken,
            context.TryGetPayload(out IServiceProvider? services) ? services.GetService(typeof(AutomationDbContext)) as AutomationDbContext : null);

    /// <summary>
    /// MassTransit cannot unschedule with the delayed scheduler, but the watchdog is still a row in our outbox:
    /// delete it in this transaction rather than deliver a message that would only be ignored.
    /// </summary>
    private static async Task DropWatchdogAsync<T>(BehaviorContext<AutomationJob, T> context)
        where T : class
    {
        // Only ever in the delivery's transaction (the PostgreSQL saga repository); without one the watchdog is left to fire
        // and be ignored, as a late watchdog always is.
        if (context.Saga.AttemptTimeoutTokenId is { } token
            && context.TryGetPayload(out IServiceProvider? services) && services.GetService(typeof(AutomationDbContext)) is AutomationDbContext db
            && db.Database.CurrentTransaction?.GetDbTransaction() is NpgsqlTransaction transaction)
        {
            // Plain Npgsql: EF Core's raw-SQL path cost a seventh of the API's allocations under load for this one statement.
            await using var command = new NpgsqlCommand("DELETE FROM outbox_messages WHERE deliver_after > now() AND headers LIKE $1",
                transaction.Connection, transaction)
            {
                Parameters = { new NpgsqlParameter<string> { TypedValue = $"%{token}%" } },
            };
            await command.ExecuteNonQueryAsync(context.CancellationToken);
        }
    }

    /// <summary>Adds a lifecycle entry to job_logs in the saga's own transaction (when running on PostgreSQL).</summary>
    private static void Log<T>(BehaviorContext<AutomationJob, T> context, string level, string message, object? metadata = null)
        where T : class
    {
        // The repository's DbContext is the scope's; in the in-memory test harness there is none.
        if (context.TryGetPayload(out IServiceProvider? services) && services.GetService(typeof(AutomationDbContext)) is AutomationDbContext db)
        {
            db.JobLogs.Add(new JobLog
            {
                JobId = context.Saga.Id,
                Level = level,
                Message = message,
                Metadata = metadata is null ? null : JsonSerializer.Serialize(metadata, JobRequests.Json),
                CreatedAt = DateTime.UtcNow,
            });
        }
    }
}
