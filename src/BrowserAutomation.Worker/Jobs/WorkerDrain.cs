using MassTransit;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Worker.Jobs;

/// <summary>
/// Graceful drain on SIGTERM: the bus stops its receive endpoints first (no new deliveries; prefetched messages that
/// did not start go back to their queue), running jobs get <see cref="WorkerOptions.DrainTimeoutMs"/> to finish, and
/// after that their delivery token is cancelled: <see cref="JobRequestedConsumer"/> then leaves the message
/// unacknowledged (returned to the queue, redelivered to another worker, not counted as a failure). The heartbeat
/// marks the rows offline last, and the host exits 0.
/// </summary>
public static class WorkerDrain
{
    // Room after the drain for the consumers' last transactions, the heartbeat's offline mark and closing browsers.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(15);

    public static IHostApplicationBuilder AddGracefulDrain(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MassTransitHostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
        {
            var drain = TimeSpan.FromMilliseconds(worker.Value.DrainTimeoutMs);
            host.ConsumerStopTimeout = drain;
            host.StopTimeout = drain + Margin;
        });
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
            host.ShutdownTimeout = TimeSpan.FromMilliseconds(worker.Value.DrainTimeoutMs) + Margin + Margin);
        return builder;
    }
}
