using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Entities;
using MassTransit;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>Records what it receives; when the probe names a job it also writes a log row and publishes a follow-up.</summary>
public sealed class ProbeConsumer(MessageCollector<OutboxProbe> collector, AutomationDbContext db) : IConsumer<OutboxProbe>
{
    public async Task Consume(ConsumeContext<OutboxProbe> context)
    {
        collector.Add(context);
        if (context.Message.JobId is { } jobId)
        {
            db.JobLogs.Add(new JobLog { JobId = jobId, Level = "info", Message = $"probe {context.Message.Id}", CreatedAt = DateTime.UtcNow });
            await context.Publish(new ProbeHandled(context.Message.Id));
        }
    }
}

public sealed class ProbeHandledConsumer(MessageCollector<ProbeHandled> collector) : IConsumer<ProbeHandled>
{
    public Task Consume(ConsumeContext<ProbeHandled> context)
    {
        collector.Add(context);
        return Task.CompletedTask;
    }
}
