using System.Text.Json;
using BrowserAutomation.Api.Infrastructure;
using BrowserAutomation.Contracts;
using MassTransit;
using MassTransit.Serialization;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// The bus front door (queue "submit-job"): creates the job exactly as POST /api/v1/jobs does, inside the consumer
/// outbox + inbox, so a redelivered command creates nothing twice. Answers with <see cref="JobSubmitted"/> or
/// <see cref="JobSubmissionRejected"/>: as a response when the command was a request, otherwise as an event.
/// </summary>
public sealed class SubmitJobConsumer(JobSubmission submission, Microsoft.Extensions.Options.IOptions<SubmissionLimitsOptions> limits, ILogger<SubmitJobConsumer> logger) : IConsumer<SubmitJob>
{
    public const string QueueName = "submit-job";

    public async Task Consume(ConsumeContext<SubmitJob> context)
    {
        // A redelivered command never reaches this point twice (inbox); a client key makes resubmissions idempotent.
        var command = context.Message;

        var unknown = UnknownFieldsOf(context);
        if (unknown.Count > 0)
        {
            StrictRequestBodies.CountRejection("bus");
        }

        var result = unknown.Count > 0
            ? new SubmissionResult.Invalid(unknown)
            : await submission.SubmitAsync(command, context, context.CancellationToken);
        object answer = result switch
        {
            SubmissionResult.Accepted accepted => new JobSubmitted
            {
                JobId = accepted.Job.Id,
                ClientReference = command.ClientReference,
                Status = accepted.Job.Status,
                CreatedAt = accepted.Job.CreatedAt,
                Cached = accepted.Job.CachedFromJobId is not null,
                CachedFrom = accepted.Job.CachedFromJobId,
            },
            SubmissionResult.Invalid invalid => new JobSubmissionRejected
            {
                ClientReference = command.ClientReference,
                Reason = "The job request is invalid.",
                Errors = invalid.Errors,
                Code = "invalid",
            },
            SubmissionResult.KeyConflict conflict => new JobSubmissionRejected
            {
                ClientReference = command.ClientReference,
                Reason = $"The idempotency key was already used for job {conflict.ExistingJobId} with a different body.",
                Errors = new Dictionary<string, string[]> { ["idempotencyKey"] = ["Already used with a different body."] },
                Code = "idempotency_conflict",
            },
            SubmissionResult.NoLiveWorker noWorker => new JobSubmissionRejected
            {
                ClientReference = command.ClientReference,
                Reason = noWorker.Message,
                Errors = new Dictionary<string, string[]> { ["browserTypeId"] = [noWorker.Message] },
                Code = "no_live_worker",
            },
            SubmissionResult.BrowserTypeInactive inactive => new JobSubmissionRejected
            {
                ClientReference = command.ClientReference,
                Reason = inactive.Message,
                Errors = new Dictionary<string, string[]> { ["browserTypeId"] = [inactive.Message] },
                Code = "browser_type_inactive",
            },
            SubmissionResult.TooManyActiveJobs tooMany => new JobSubmissionRejected
            {
                ClientReference = command.ClientReference,
                Reason = tooMany.Message,
                Errors = new Dictionary<string, string[]> { ["owner"] = [tooMany.Message] },
                Code = IntakeMetrics.TooManyActiveJobs,
                Limit = tooMany.Limit,
                RetryAfterSeconds = limits.Value.RetryAfterSeconds,
            },
            SubmissionResult.QueueFull full => new JobSubmissionRejected
            {
                ClientReference = command.ClientReference,
                Reason = full.Message,
                Errors = new Dictionary<string, string[]> { ["browserTypeId"] = [full.Message] },
                Code = IntakeMetrics.QueueFull,
                Limit = full.Limit,
                RetryAfterSeconds = limits.Value.RetryAfterSeconds,
            },
            _ => throw new InvalidOperationException(result.GetType().Name),
        };

        if (answer is JobSubmissionRejected rejected)
        {
            logger.LogWarning("SubmitJob {ClientReference} rejected: {Reason}", command.ClientReference, rejected.Reason);
        }

        if (context.ResponseAddress is not null)
        {
            await context.RespondAsync(answer);
        }
        else
        {
            await context.Publish(answer);
        }
    }

    /// <summary>Strict input on the bus too: the command's own JSON (the envelope's message, or the raw body) against <see cref="SubmitJob"/>.</summary>
    private static Dictionary<string, string[]> UnknownFieldsOf(ConsumeContext context)
    {
        try
        {
            using var document = JsonDocument.Parse(context.ReceiveContext.Body.GetBytes());
            var root = document.RootElement;
            var message = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messageType", out _)
                                                                 && root.TryGetProperty("message", out var inner)
                ? inner
                : root;
            return UnknownFields.Find(message, typeof(SubmitJob), SystemTextJsonMessageSerializer.Options);
        }
        catch (JsonException)
        {
            // Not JSON (another serializer): the message was read by MassTransit already, so there is nothing to check here.
            return [];
        }
    }
}

public sealed class SubmitJobConsumerDefinition : ConsumerDefinition<SubmitJobConsumer>
{
    public SubmitJobConsumerDefinition() => EndpointName = SubmitJobConsumer.QueueName;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SubmitJobConsumer> consumerConfigurator, IRegistrationContext context)
    {
        Persistence.Messaging.ReceiveEndpointExtensions.UseDatabaseRetry(endpointConfigurator);
        Persistence.Messaging.ReceiveEndpointExtensions.UsePostgresOutbox(endpointConfigurator, context);
    }
}
