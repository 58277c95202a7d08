using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Pool;

/// <summary>A fresh browser context for one job; disposing it closes the context (never the browser).</summary>
public sealed class BrowserLease : IAsyncDisposable
{
    private readonly EnginePool _owner;
    private int _released;

    internal BrowserLease(EnginePool owner, PooledBrowser slot, IBrowser browser, IBrowserContext context)
    {
        _owner = owner;
        Slot = slot;
        Browser = browser;
        Context = context;
    }

    public string Engine => _owner.Engine;

    public IBrowser Browser { get; }

    public IBrowserContext Context { get; }

    internal PooledBrowser Slot { get; }

    /// <summary>
    /// Starts closing the context without waiting for it, so a job's result is not held up by the close.
    /// The pool tracks the close; shutting the pool down waits for it.
    /// </summary>
    public void ReleaseInBackground()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _owner.ReleaseInBackground(this);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _owner.ReleaseAsync(this);
        }
    }
}
