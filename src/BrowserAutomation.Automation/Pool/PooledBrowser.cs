using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Pool;

/// <summary>One browser process of an engine's pool, with its book-keeping (guarded by the engine pool's lock).</summary>
internal sealed class PooledBrowser(int id, BrowserProcessGroup processes)
{
    private int _cleanedUp;

    public int Id { get; } = id;

    public BrowserProcessGroup Processes { get; } = processes;

    public Task<IBrowser> Launch { get; set; } = null!;

    /// <summary>The driver that launched it (to notice the driver's death).</summary>
    public IPlaywright? Playwright { get; set; }

    public IBrowser? Browser => Launch is { IsCompletedSuccessfully: true } launch ? launch.Result : null;

    /// <summary>Contexts reserved or in use by a job on it.</summary>
    public int Active { get; set; }

    /// <summary>Its launch succeeded (set before the launch task completes).</summary>
    public bool Launched { get; set; }

    /// <summary>Contexts warmed (or warming) for a job to come: not yet work, but open on it.</summary>
    public int Warm { get; set; }

    /// <summary>Contexts released by their job and still closing.</summary>
    public int Closing { get; set; }

    /// <summary>Contexts (pages) it has been given.</summary>
    public int Served { get; set; }

    /// <summary>Recycling: it takes no new contexts and closes once <see cref="Active"/> reaches 0.</summary>
    public bool Draining { get; set; }

    /// <summary>Out of the pool: closed, being closed or dead.</summary>
    public bool Retired { get; set; }

    /// <summary>The pool closes it on purpose, so its disconnection is no crash.</summary>
    public bool ClosedByPool { get; set; }

    /// <summary>Its Disconnected event has been handled.</summary>
    public bool Disconnected { get; set; }

    public long IdleSince { get; set; } = Environment.TickCount64;

    /// <summary>True for the first caller only: the process clean-up runs once.</summary>
    public bool TryStartCleanup() => Interlocked.Exchange(ref _cleanedUp, 1) == 0;
}
