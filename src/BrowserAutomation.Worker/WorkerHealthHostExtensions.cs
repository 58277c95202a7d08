using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence;
using BrowserAutomation.Worker.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Worker;

public static class WorkerHealthHostExtensions
{
    /// <summary>
    /// The worker's readiness checks besides the broker's (MassTransit adds that one): PostgreSQL, and "browser-ENGINE"
    /// for each engine of WORKER_ENGINES.
    /// </summary>
    public static IHostApplicationBuilder AddWorkerHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddDatabaseCheck().AddBrokerCheck();
        builder.Services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<WorkerOptions>>(static (options, worker) =>
        {
            // The simulated engine has no browser to check.
            foreach (var engine in worker.Value.EngineList.Where(static e => !Contracts.SimulatedEngine.Is(e)))
            {
                options.Registrations.Add(new HealthCheckRegistration($"browser-{engine}",
                    provider => new EngineHealthCheck(engine, provider.GetRequiredService<BrowserPool>()),
                    HealthStatus.Unhealthy, ["ready"], HealthHostExtensions.CheckTimeout));
            }
        });
        return builder;
    }
}
