namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// Wakes the outbox dispatcher the moment a transaction that wrote outbox rows commits
/// (in-process), or when PostgreSQL delivers a NOTIFY from another process.
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        // A pending wake-up is enough; extra signals collapse into it.
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    public void Dispose() => _semaphore.Dispose();

    /// <summary>Waits for a signal or the timeout; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);
}
