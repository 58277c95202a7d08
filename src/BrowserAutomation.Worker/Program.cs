using BrowserAutomation.Automation;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Persistence.Messaging;
using BrowserAutomation.Worker;
using BrowserAutomation.Worker.Jobs;
using MassTransit;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddSeedEnvironmentVariables();

builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
var worker = builder.Configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new WorkerOptions();

builder.Services.AddAutomationPersistence();
builder.Services.AddJobSecrets();
builder.Services.AddBrowserAutomation(builder.Configuration);
// The engines whose queues this worker consumes are exactly the browsers it launches.
builder.Services.PostConfigure<BrowserOptions>(o => o.Engines = worker.EngineList.ToList());
builder.Services.AddSingleton<RunningJobs>();
builder.Services.AddHostedService<WorkerHeartbeat>();
builder.Services.AddAutomationBus(
    x =>
    {
        x.AddConsumer<JobRequestedConsumer>();
        x.AddConsumer<JobCancellationConsumer>();
    },
    (context, cfg) =>
    {
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

var host = builder.Build();
await host.RunAsync();
