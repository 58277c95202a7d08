using BrowserAutomation.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BrowserAutomation.Api.Workers;

public static class WorkersHostExtensions
{
    /// <summary>Worker liveness (WORKER_STALE_AFTER_MS), which the workers, browsers and submission checks share.</summary>
    public static IHostApplicationBuilder AddWorkerLiveness(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerLivenessOptions>().BindSettings(WorkerLivenessOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WorkerLiveness>();
        return builder;
    }
}
