using BrowserAutomation.Contracts;
using MassTransit;

namespace BrowserAutomation.Api.Status;

/// <summary>Feeds this process's live streams from its own temporary queue.</summary>
public sealed class JobStatusBroadcastConsumer(JobStatusHub hub) : IConsumer<JobStatusChanged>
{
    public Task Consume(ConsumeContext<JobStatusChanged> context)
    {
        hub.Publish(context.Message);
        return Task.CompletedTask;
    }
}
