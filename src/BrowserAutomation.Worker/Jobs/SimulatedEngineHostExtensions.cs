using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Hosting;

namespace BrowserAutomation.Worker.Jobs;

public static class SimulatedEngineHostExtensions
{
    /// <summary>
    /// The simulated engine (WORKER_ENGINES=simulated, SIMULATED_ENGINE_DELAY_MS): its executor, chosen per job by
    /// <see cref="EngineJobExecutor"/>. Harmless when the worker does not serve it: no job for it reaches this worker.
    /// </summary>
    public static IServiceCollection AddSimulatedEngine(this IServiceCollection services)
    {
        services.AddOptions<SimulatedEngineOptions>().BindSettings(SimulatedEngineOptions.SectionName);
        services.AddSingleton<SimulatedJobExecutor>();
        services.AddSingleton<JobExecutor>();
        services.AddSingleton(static sp => new Lazy<JobExecutor>(sp.GetRequiredService<JobExecutor>));
        services.AddSingleton<IJobExecutor, EngineJobExecutor>();
        return services;
    }
}
