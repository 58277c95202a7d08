using BrowserAutomation.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BrowserAutomation.Api.Workers;

public static class WorkersHostExtensions
{
    /// <summary>Worker liveness (WORKER_STALE_AFTER_MS) for the workers and browsers views, and the served engines (SERVED_ENGINES) that admission checks.</summary>
    public static IHostApplicationBuilder AddWorkerLiveness(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerLivenessOptions>().BindSettings(WorkerLivenessOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WorkerLiveness>();
        builder.Services.AddOptions<ServedEnginesOptions>().BindSettings(ServedEnginesOptions.SectionName);
        return builder;
    }
}
