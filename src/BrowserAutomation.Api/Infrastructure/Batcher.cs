namespace BrowserAutomation.Api.Infrastructure;

/// <summary>
/// Folds concurrent work into batches: items added while a batch is being processed wait and form the next batch
/// (up to <paramref name="maxBatch"/> items), and one loop at most processes batches at any time. Used where each
/// batch costs one round trip or one transaction whatever its size, so the cost per item falls as concurrency rises.
/// <paramref name="process"/> must complete every item of its batch, errors included: it is never called twice for one item.
/// </summary>
public sealed class Batcher<T>(Func<List<T>, Task> process, int maxBatch = int.MaxValue)
{
    private readonly object _gate = new();
    private List<T> _waiting = [];
    private bool _inFlight;

    /// <summary>Queues <paramref name="item"/>; starts the processing loop when none is running.</summary>
    public void Add(T item)
    {
        lock (_gate)
        {
            _waiting.Add(item);
            if (_inFlight)
            {
                return;
            }

            _inFlight = true;
        }

        // The loop serves every caller's items: it must not carry the first caller's trace or log scope.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(DrainAsync);
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<T> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _inFlight = false;
                    return;
                }

                if (_waiting.Count <= maxBatch)
                {
                    batch = _waiting;
                    _waiting = [];
                }
                else
                {
                    batch = _waiting.GetRange(0, maxBatch);
                    _waiting.RemoveRange(0, maxBatch);
                }
            }

            await process(batch);
        }
    }
}
