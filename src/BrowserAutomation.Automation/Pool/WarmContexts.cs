using Microsoft.Extensions.Logging;

namespace BrowserAutomation.Automation.Pool;

/// <summary>
/// One engine's pre-warmed contexts: up to <see cref="BrowserOptions.PrewarmContexts"/> fresh contexts, each with
/// a blank page, made for the last <see cref="WarmKey"/> a job with default context options asked for. A job takes a
/// ready one or opens its own; it never waits for one being warmed. Each serves one job and is closed after it like
/// any lease. Warming happens one context at a time, only while the engine has a free job slot, and only on
/// browsers already running and taking work. A warm context whose browser is recycled, crashed or closed is discarded,
/// never handed out.
/// </summary>
internal sealed class WarmContexts(EnginePool pool, EngineBrowsers browsers, BrowserOptions options, ILogger logger)
{
    private readonly Lock _gate = new();

    // Guarded by _gate.
    private readonly List<BrowserLease> _ready = [];
    private WarmKey _target = WarmKey.Default;
    private Task _warming = Task.CompletedTask;
    private bool _stopped;

    private long _hits;
    private long _misses;

    public int Ready
    {
        get
        {
            lock (_gate)
            {
                // A context whose browser is gone or recycled is about to be discarded: it is not ready.
                return _ready.Count(static lease => !lease.Slot.Retired && !lease.Slot.Draining);
            }
        }
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    private bool Enabled => options.PrewarmContexts > 0;

    /// <summary>
    /// A ready warm context of <paramref name="key"/>, now counted as the job's work, or null (a miss: the caller opens
    /// its own). Another key makes it the one warmed from now on and discards the ready contexts of the old one.
    /// </summary>
    public BrowserLease? TryTake(WarmKey key)
    {
        if (!Enabled)
        {
            return null;
        }

        List<BrowserLease> stale = [];
        BrowserLease? taken = null;
        lock (_gate)
        {
            if (key != _target)
            {
                _target = key;
                stale.AddRange(_ready);
                _ready.Clear();
            }

            while (taken is null && _ready.Count > 0)
            {
                var candidate = _ready[0];
                _ready.RemoveAt(0);
                if (candidate.Page is { IsClosed: false } && candidate.Browser.IsConnected && browsers.TakeWarm(candidate.Slot))
                {
                    taken = candidate;
                }
                else
                {
                    stale.Add(candidate);
                }
            }
        }

        foreach (var lease in stale)
        {
            Abandon(lease);
        }

        if (taken is null)
        {
            Interlocked.Increment(ref _misses);
        }
        else
        {
            Interlocked.Increment(ref _hits);
        }

        WarmTelemetry.Record(pool.Engine, taken is not null);
        Refill();
        return taken;
    }

    /// <summary>Starts warming when contexts are missing, no warming is under way and the engine has a free job slot.</summary>
    public void Refill()
    {
        lock (_gate)
        {
            if (!Enabled || _stopped || !_warming.IsCompleted || _ready.Count >= options.PrewarmContexts || !HasFreeSlot())
            {
                return;
            }

            _warming = Task.Run(WarmAsync);
        }
    }

    /// <summary>Discards the ready contexts of a browser that is recycled or gone.</summary>
    public void DiscardOn(PooledBrowser browser)
    {
        List<BrowserLease> stale;
        lock (_gate)
        {
            stale = _ready.Where(lease => ReferenceEquals(lease.Slot, browser)).ToList();
            _ready.RemoveAll(lease => ReferenceEquals(lease.Slot, browser));
        }

        foreach (var lease in stale)
        {
            Abandon(lease);
        }
    }

    /// <summary>Stops warming and closes every ready context (before the pool closes its browsers).</summary>
    public async Task StopAsync()
    {
        List<BrowserLease> ready;
        Task warming;
        lock (_gate)
        {
            _stopped = true;
            ready = [.. _ready];
            _ready.Clear();
            warming = _warming;
        }

        foreach (var lease in ready)
        {
            Abandon(lease);
        }

        await warming;
    }

    // Under _gate: "only while slots are free" means while the engine runs fewer jobs than the worker takes at once.
    private bool HasFreeSlot() => browsers.RunningContexts() < options.JobSlots;

    private async Task WarmAsync()
    {
        while (true)
        {
            WarmKey key;
            lock (_gate)
            {
                if (_stopped || _ready.Count >= options.PrewarmContexts || !HasFreeSlot())
                {
                    return;
                }

                key = _target;
            }

            if (browsers.ReserveWarm() is not { } slot)
            {
                return;
            }

            BrowserLease lease;
            try
            {
                lease = await pool.OpenWarmAsync(slot, key);
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Warming a {Engine} context failed", pool.Engine);
                pool.CancelWarm(slot);
                return;
            }

            bool kept;
            lock (_gate)
            {
                kept = !_stopped && key == _target && !slot.Draining && !slot.Retired;
                if (kept)
                {
                    _ready.Add(lease);
                }
            }

            if (!kept)
            {
                Abandon(lease);
            }
        }
    }

    /// <summary>A warm context that serves no job is closed through the usual release path.</summary>
    private void Abandon(BrowserLease lease)
    {
        browsers.AbandonWarm(lease.Slot);
        lease.ReleaseInBackground();
    }
}
