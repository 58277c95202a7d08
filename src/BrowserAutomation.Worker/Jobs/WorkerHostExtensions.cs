using BrowserAutomation.Automation;
using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence.Messaging;
using BrowserAutomation.Persistence;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Worker.Jobs;

public static class WorkerHostExtensions
{
    /// <summary>
    /// Running jobs: the browser pool of the engines this worker serves (WORKER_ENGINES), one queue per engine taking
    /// WORKER_MAX_CONCURRENT_JOBS at once, and the cancellations every worker hears.
    /// </summary>
    public static IHostApplicationBuilder AddJobExecution(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>().BindSettings(WorkerOptions.SectionName);
        builder.Services.AddSimulatedEngine();
        builder.Services.AddBrowserAutomation(builder.Configuration);
        // The engines whose queues this worker consumes are exactly the browsers it launches.
        builder.Services.AddOptions<BrowserOptions>()
            .PostConfigure<IOptions<WorkerOptions>>((browser, worker) => (browser.Engines, browser.JobSlots) = (worker.Value.EngineList.ToList(), worker.Value.MaxConcurrentJobs));
        builder.Services.AddSingleton<RunningJobs>();
        builder.AddGracefulDrain();
        builder.Services.AddAutomationBus(
            x =>
            {
                x.AddConsumer<JobRequestedConsumer>();
                x.AddConsumer<JobCancellationConsumer>();
            },
            (context, cfg) =>
            {
                var worker = context.GetRequiredService<IOptions<WorkerOptions>>().Value;
                foreach (var engine in worker.EngineList)
                {
                    cfg.ReceiveEndpoint(BusTopology.EngineQueue(engine), e =>
                    {
                        e.ConfigureEngineQueue(engine);
                        e.PrefetchCount = worker.MaxConcurrentJobs;
                        e.ConcurrentMessageLimit = worker.MaxConcurrentJobs;
                        e.UseDatabaseRetry();
                        e.ConfigureConsumer<JobRequestedConsumer>(context);
                    });
                }

                // Every worker hears every cancellation on a queue of its own that disappears with it.
                cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("worker-cancellations"), e => e.ConfigureConsumer<JobCancellationConsumer>(context));
            });
        return builder;
    }

    /// <summary>This worker's rows in browser_workers, refreshed every WORKER_HEARTBEAT_INTERVAL_MS.</summary>
    public static IHostApplicationBuilder AddWorkerHeartbeat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<WorkerHeartbeat>();
        return builder;
    }
}
