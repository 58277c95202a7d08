using Microsoft.Extensions.Hosting;

namespace BrowserAutomation.Automation.Pool;

/// <summary>Launches the browsers before the host starts consuming, and closes them after every other service stopped.</summary>
internal sealed class BrowserPoolHostedService(BrowserPool pool) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => pool.StartAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // StoppedAsync runs once all hosted services (the consumers among them) have stopped.
    public async Task StoppedAsync(CancellationToken cancellationToken) => await pool.DisposeAsync();
}
