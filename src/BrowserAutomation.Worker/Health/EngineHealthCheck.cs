using BrowserAutomation.Automation.Pool;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BrowserAutomation.Worker.Health;

/// <summary>
/// One engine of WORKER_ENGINES: healthy while its last launch succeeded (a browser is running or can be launched again),
/// unhealthy before the first launch finished and after a launch failed or the browser crashed, until one succeeds.
/// </summary>
public sealed class EngineHealthCheck(string engine, BrowserPool pool) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var browsers = pool.GetStats().TryGetValue(engine, out var stats) ? stats.Browsers : 0;
        var data = new Dictionary<string, object> { ["browsers"] = browsers };
        if (!pool.Engines.TryGetValue(engine, out var status))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"{engine} is not configured in this worker's pool.", data: data));
        }

        return Task.FromResult(status.Available
            ? HealthCheckResult.Healthy($"{engine} {status.Version} launches ({browsers} running).", data)
            : HealthCheckResult.Unhealthy($"{engine} is unavailable: {status.Reason}", data: data));
    }
}
