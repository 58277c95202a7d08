using System.Collections.Concurrent;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// What this process's outbox dispatcher must do next. Rows this process commits are handed over at commit and sent
/// from memory (<see cref="HandOff"/>); delayed rows it commits only move the dispatcher's next look at the table
/// earlier (<see cref="DueAt"/>); a NOTIFY from another process or a reconnect asks it to look at the table now
/// (<see cref="RequestClaim"/>).
/// </summary>
public sealed class OutboxSignal : WakeSignal
{
    private readonly ConcurrentQueue<OutboxMessage> _handedOff = new();
    private long _earliestDueTicks = long.MaxValue;
    private int _claimRequested = 1;
    private volatile bool _dispatching;

    /// <summary>Whether this process's dispatcher is running and takes rows at commit (rows are leased to it only then).</summary>
    internal bool Dispatching
    {
        get => _dispatching;
        set => _dispatching = value;
    }

    /// <summary>Rows waiting to be sent from memory.</summary>
    internal int HandedOffCount => _handedOff.Count;

    /// <summary>Committed rows leased to this process's dispatcher: it sends them without reading them back.</summary>
    internal void HandOff(IEnumerable<OutboxMessage> rows)
    {
        foreach (var row in rows)
        {
            _handedOff.Enqueue(row);
        }

        Notify();
    }

    /// <summary>A committed row becomes due at <paramref name="due"/> (a delay, a retry, a lease that must be claimed back).</summary>
    internal void DueAt(DateTime due)
    {
        var ticks = due.Ticks;
        var seen = Interlocked.Read(ref _earliestDueTicks);
        while (ticks < seen)
        {
            var before = Interlocked.CompareExchange(ref _earliestDueTicks, ticks, seen);
            if (before == seen)
            {
                Notify();
                return;
            }

            seen = before;
        }
    }

    /// <summary>Rows may be waiting in the table that this process did not hand over: look now.</summary>
    public void RequestClaim()
    {
        Interlocked.Exchange(ref _claimRequested, 1);
        Notify();
    }

    internal bool TakeClaimRequest() => Interlocked.Exchange(ref _claimRequested, 0) == 1;

    internal DateTime? TakeEarliestDue()
    {
        var ticks = Interlocked.Exchange(ref _earliestDueTicks, long.MaxValue);
        return ticks == long.MaxValue ? null : new DateTime(ticks, DateTimeKind.Utc);
    }

    internal List<OutboxMessage> TakeHandedOff(int max)
    {
        var rows = new List<OutboxMessage>(Math.Min(max, _handedOff.Count));
        while (rows.Count < max && _handedOff.TryDequeue(out var row))
        {
            rows.Add(row);
        }

        return rows;
    }
}
