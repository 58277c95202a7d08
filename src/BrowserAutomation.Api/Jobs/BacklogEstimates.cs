using System.Collections.Concurrent;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// Each copy's last exact count of an engine's pending jobs, plus what it has accepted since. While that stays under half
/// the bound and is under 250 ms old, the backlog cannot be near its bound unless other copies added half of it within
/// those 250 ms, so the count is skipped; near the bound every submission counts exactly, as before.
/// </summary>
public sealed class BacklogEstimates(TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<string, Estimate> _engines = new(StringComparer.Ordinal);

    public bool FarBelow(string engine, int adding, int bound) =>
        _engines.TryGetValue(engine, out var e) && time.GetUtcNow() - e.At < MaxAge && e.Pending + e.Added + adding < bound / 2;

    public void Record(string engine, long pending) => _engines[engine] = new Estimate(pending, time.GetUtcNow());

    public void Accepted(string engine, int count)
    {
        if (_engines.TryGetValue(engine, out var e))
        {
            e.Add(count);
        }
    }

    private sealed class Estimate(long pending, DateTimeOffset at)
    {
        private long _added;

        public long Pending { get; } = pending;

        public DateTimeOffset At { get; } = at;

        public long Added => Volatile.Read(ref _added);

        public void Add(long count) => Interlocked.Add(ref _added, count);
    }
}
