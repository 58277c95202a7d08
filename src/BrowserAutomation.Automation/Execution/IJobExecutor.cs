using BrowserAutomation.Contracts;

namespace BrowserAutomation.Automation.Execution;

/// <summary>Executes one job attempt in a fresh browser context and returns what it produced.</summary>
public interface IJobExecutor
{
    /// <summary>Runs the attempt. Never throws for job-level failures: they are returned as a failed outcome.</summary>
    Task<JobExecutionOutcome> ExecuteAsync(JobRequested job, CancellationToken cancellationToken);
}
