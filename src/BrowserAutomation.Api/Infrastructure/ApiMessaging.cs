using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.Status;
using BrowserAutomation.Persistence;
using MassTransit;

namespace BrowserAutomation.Api.Infrastructure;

public static class ApiMessaging
{
    /// <summary>
    /// The API's bus: the job state machine, bus submissions (SubmitJob), the status broadcast the live streams read, and
    /// the engine queues declared at start.
    /// </summary>
    public static IHostApplicationBuilder AddApiMessaging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAutomationBus(
            x =>
            {
                x.AddJobStateMachine();
                x.AddConsumer<SubmitJobConsumer, SubmitJobConsumerDefinition>();
                x.AddConsumer<JobStatusBroadcastConsumer>().ExcludeFromConfigureEndpoints();
            },
            (context, cfg) =>
            {
                // Every API copy hears every status change on a queue of its own, for the live streams it serves.
                cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("api-status"), e => e.ConfigureConsumer<JobStatusBroadcastConsumer>(context));
                cfg.ConfigureEndpoints(context);
            });
        builder.Services.AddSingleton<JobStatusHub>();
        builder.Services.AddEngineQueues();
        return builder;
    }
}
