using System.Text.Json;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence.Entities;
using MassTransit;

namespace BrowserAutomation.Persistence.Jobs;

/// <summary>
/// Owns <c>automation_jobs.status</c>. Rows are created in state Pending by the API (job row and first
/// <see cref="JobRequested"/> commit together); workers report <see cref="JobStarted"/>, <see cref="JobCompleted"/>
/// and <see cref="JobFailed"/>. Events of another attempt, duplicates and late arrivals never move a job backwards
/// or finish it twice.
/// </summary>
public sealed class JobStateMachine : MassTransitStateMachine<AutomationJob>
{
    internal static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web);

    public JobStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => AttemptStarted, e => { e.CorrelateById(c => c.Message.JobId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => AttemptCompleted, e => { e.CorrelateById(c => c.Message.JobId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => AttemptFailed, e => { e.CorrelateById(c => c.Message.JobId); e.OnMissingInstance(m => m.Discard()); });

        During(Pending,
            When(AttemptStarted, c => c.Message.Attempt == c.Saga.Attempt)
                .Then(c => c.Saga.StartedAt = c.Message.StartedAt)
                .Then(c => Log(c, "info", $"Attempt {c.Message.Attempt} started"))
                .Then(RememberStatus)
                .TransitionTo(Processing)
                .PublishAsync(StatusChanged));

        During(Pending, Processing,
            When(AttemptCompleted, c => c.Message.Attempt == c.Saga.Attempt)
                .Then(c =>
                {
                    c.Saga.StartedAt ??= c.Message.StartedAt;
                    c.Saga.CompletedAt = c.Message.CompletedAt;
                    c.Saga.Result = JsonSerializer.Serialize(c.Message.Result, ResultJson);
                    c.Saga.ErrorType = null;
                    c.Saga.ErrorMessage = null;
                    Log(c, "info", $"Attempt {c.Message.Attempt} completed", new { durationMs = c.Message.Result.DurationMs });
                })
                .Then(RememberStatus)
                .TransitionTo(Completed)
                .PublishAsync(StatusChanged),
            When(AttemptFailed, c => c.Message.Attempt == c.Saga.Attempt)
                .Then(c =>
                {
                    c.Saga.StartedAt ??= c.Message.StartedAt;
                    c.Saga.CompletedAt = c.Message.FailedAt;
                    c.Saga.ErrorType = c.Message.ErrorType;
                    c.Saga.ErrorMessage = c.Message.ErrorMessage;
                    if (c.Message.Result is not null)
                        c.Saga.Result = JsonSerializer.Serialize(c.Message.Result, ResultJson);
                    Log(c, "error", $"Attempt {c.Message.Attempt} failed: {c.Message.ErrorType}", new { errorType = c.Message.ErrorType });
                })
                .Then(RememberStatus)
                .TransitionTo(Failed)
                .PublishAsync(StatusChanged));

        During(Processing, Ignore(AttemptStarted));
        During(Completed, Failed, Cancelled, Ignore(AttemptStarted), Ignore(AttemptCompleted), Ignore(AttemptFailed));

        // Stale attempts (filtered out above) and anything else unexpected are dropped, never faulted.
        OnUnhandledEvent(x => x.Ignore());
    }

    public State Pending { get; private set; } = null!;

    public State Processing { get; private set; } = null!;

    public State Completed { get; private set; } = null!;

    public State Failed { get; private set; } = null!;

    public State Cancelled { get; private set; } = null!;

    public Event<JobStarted> AttemptStarted { get; private set; } = null!;

    public Event<JobCompleted> AttemptCompleted { get; private set; } = null!;

    public Event<JobFailed> AttemptFailed { get; private set; } = null!;

    static void RememberStatus<T>(BehaviorContext<AutomationJob, T> context)
        where T : class =>
        context.GetOrAddPayload(() => new PreviousStatus(context.Saga.CurrentState));

    /// <summary>Adds a lifecycle entry to job_logs in the saga's own transaction (when running on PostgreSQL).</summary>
    static void Log<T>(BehaviorContext<AutomationJob, T> context, string level, string message, object? metadata = null)
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
                Metadata = metadata is null ? null : JsonSerializer.Serialize(metadata, ResultJson),
                CreatedAt = DateTime.UtcNow,
            });
        }
    }

    static Task<SendTuple<JobStatusChanged>> StatusChanged<T>(BehaviorContext<AutomationJob, T> context)
        where T : class
    {
        var previous = context.TryGetPayload(out PreviousStatus? p) ? p.Value : context.Saga.CurrentState;
        return context.Init<JobStatusChanged>(new JobStatusChanged
        {
            JobId = context.Saga.Id,
            PreviousStatus = previous.ToLowerInvariant(),
            Status = context.Saga.CurrentState.ToLowerInvariant(),
            ChangedAt = DateTime.UtcNow,
        });
    }

    sealed record PreviousStatus(string Value);
}
