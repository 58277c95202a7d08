using BrowserAutomation.Contracts;
using MassTransit;

namespace BrowserAutomation.Worker.Jobs;

/// <summary>Every worker hears every cancellation (its own temporary queue); the one running the job aborts its page.</summary>
public sealed class JobCancellationConsumer(RunningJobs running, ILogger<JobCancellationConsumer> logger) : IConsumer<JobCancellationRequested>
{
    public Task Consume(ConsumeContext<JobCancellationRequested> context)
    {
        if (running.Cancel(context.Message.JobId))
        {
            logger.LogInformation("Job {JobId} cancelled by a client; aborting its page", context.Message.JobId);
        }

        return Task.CompletedTask;
    }
}
