using BrowserAutomation.Networking;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Pool;

/// <summary>A fresh browser context for one job; disposing it closes the context (never the browser).</summary>
public sealed class BrowserLease : IAsyncDisposable
{
    private readonly EnginePool _owner;
    private int _released;

    internal BrowserLease(EnginePool owner, PooledBrowser slot, IBrowser browser, IBrowserContext context, EgressContext? egress, IPage? page)
    {
        _owner = owner;
        Slot = slot;
        Browser = browser;
        Context = context;
        Egress = egress;
        Page = page;
    }

    public string Engine => _owner.Engine;

    public IBrowser Browser { get; }

    public IBrowserContext Context { get; }

    /// <summary>
    /// The context's own entrance to the egress proxy, which records the refusals of its requests (null for an engine
    /// whose contexts share the browser's proxy setting). Closed with the context.
    /// </summary>
    public EgressContext? Egress { get; }

    /// <summary>The blank page a pre-warmed context comes with; null for a context opened for the job.</summary>
    public IPage? Page { get; }

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
