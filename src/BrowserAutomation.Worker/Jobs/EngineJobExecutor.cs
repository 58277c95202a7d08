using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.Worker.Jobs;

/// <summary>
/// Runs simulated-engine jobs without a browser and every other job in the browser pool. The browser executor is
/// resolved on first use, so a worker serving only the simulated engine never touches the pool.
/// </summary>
public sealed class EngineJobExecutor(SimulatedJobExecutor simulated, Lazy<JobExecutor> browsers) : IJobExecutor
{
    public Task<JobExecutionOutcome> ExecuteAsync(JobRequested job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return SimulatedEngine.Is(job.Engine) ? simulated.ExecuteAsync(job, cancellationToken) : browsers.Value.ExecuteAsync(job, cancellationToken);
    }
}
