using BrowserAutomation.Contracts;
using MassTransit;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// Exchange and queue names an operator can read in the management UI, shared by every process.
/// JobRequested goes to the direct exchange "job-requested" with the engine as routing key.
/// </summary>
public static class BusTopology
{
    public const string JobRequestedExchange = "job-requested";

    /// <summary>Queue priorities 0..10 (x-max-priority); job priorities map onto them directly.</summary>
    public const int MaxPriority = 10;

    public static string EngineQueue(string engine) => $"jobs-{engine}";

    public static void ConfigureAutomationTopology(this IRabbitMqBusFactoryConfigurator cfg)
    {
        cfg.Message<JobRequested>(m => m.SetEntityName(JobRequestedExchange));
        cfg.Publish<JobRequested>(p => p.ExchangeType = "direct");
        cfg.Send<JobRequested>(s => s.UseRoutingKeyFormatter(c => c.Message.Engine));
        // What a worker publishes when a request's delivery faults; the state machine counts it as a failed attempt.
        cfg.Message<Fault<JobRequested>>(m => m.SetEntityName("job-requested-faulted"));

        cfg.Message<JobAttemptStarted>(m => m.SetEntityName("job-attempt-started"));
        cfg.Message<JobAttemptCompleted>(m => m.SetEntityName("job-attempt-completed"));
        cfg.Message<JobAttemptFailed>(m => m.SetEntityName("job-attempt-failed"));
        cfg.Message<AttemptTimedOut>(m => m.SetEntityName("job-attempt-timed-out"));
        cfg.Message<JobDeadlineReached>(m => m.SetEntityName("job-deadline-reached"));
        cfg.Message<JobStatusChanged>(m => m.SetEntityName("job-status-changed"));
        cfg.Message<JobCompleted>(m => m.SetEntityName("job-completed"));
        cfg.Message<JobFailed>(m => m.SetEntityName("job-failed"));
        cfg.Message<JobCancelled>(m => m.SetEntityName("job-cancelled"));
        cfg.Message<JobCancellationRequested>(m => m.SetEntityName("job-cancellation-requested"));
        cfg.Message<SubmitJob>(m => m.SetEntityName("submit-job-command"));
        cfg.Message<JobSubmitted>(m => m.SetEntityName("job-submitted"));
        cfg.Message<JobSubmissionRejected>(m => m.SetEntityName("job-submission-rejected"));
    }

    /// <summary>Binds an engine queue to the JobRequested exchange with its routing key, priority enabled.</summary>
    public static void ConfigureEngineQueue(this IRabbitMqReceiveEndpointConfigurator e, string engine)
    {
        e.ConfigureConsumeTopology = false;
        e.EnablePriority(MaxPriority);
        e.Bind<JobRequested>(b =>
        {
            b.ExchangeType = "direct";
            b.RoutingKey = engine;
        });
    }

    /// <summary>
    /// Broadcast events may have no subscriber at all; everything else must reach a queue or stay in the outbox.
    /// </summary>
    public static bool IsBroadcast(string messageType) =>
        BroadcastTypes.Any(t => messageType.Contains($":{t}", StringComparison.Ordinal));

    // Events for whoever listens: outcome and status events (bus clients, live streams), cancellation (running workers).
    private static readonly string[] BroadcastTypes =
    [
        nameof(JobStatusChanged), nameof(JobCompleted), nameof(JobFailed), nameof(JobCancelled), nameof(JobCancellationRequested),
        nameof(JobSubmitted), nameof(JobSubmissionRejected),
    ];

    /// <summary>Publishes a job attempt with its priority (0-10) set on the RabbitMQ message.</summary>
    public static Task PublishJobRequested(this IPublishEndpoint endpoint, JobRequested message, CancellationToken cancellationToken = default) =>
        endpoint.Publish(message, context => context.SetJobPriority(message.Priority), cancellationToken);

    /// <summary>Sets the RabbitMQ message priority (0-10); other transports (the test harness) have none.</summary>
    public static void SetJobPriority(this SendContext context, int priority) =>
        context.TrySetPriority((byte)Math.Clamp(priority, 0, MaxPriority));
}
