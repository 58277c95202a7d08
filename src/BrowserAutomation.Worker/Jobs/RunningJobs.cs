using System.Collections.Concurrent;

namespace BrowserAutomation.Worker.Jobs;

/// <summary>The jobs this worker is executing right now, so a cancellation can reach the right page.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<Guid, Entry> _jobs = new();

    public sealed record Entry(Guid JobId, string Engine, CancellationTokenSource Cancellation, DateTime StartedAt);

    public Entry Register(Guid jobId, string engine, CancellationToken delivery)
    {
        var entry = new Entry(jobId, engine, CancellationTokenSource.CreateLinkedTokenSource(delivery), DateTime.UtcNow);
        _jobs[jobId] = entry;
        return entry;
    }

    public void Remove(Entry entry)
    {
        _jobs.TryRemove(new KeyValuePair<Guid, Entry>(entry.JobId, entry));
        entry.Cancellation.Dispose();
    }

    /// <summary>Aborts the job if it runs here; true when it did.</summary>
    public bool Cancel(Guid jobId)
    {
        if (!_jobs.TryGetValue(jobId, out var entry))
        {
            return false;
        }

        try
        {
            entry.Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        return true;
    }

    public IReadOnlyList<Entry> Snapshot() => _jobs.Values.ToList();
}
