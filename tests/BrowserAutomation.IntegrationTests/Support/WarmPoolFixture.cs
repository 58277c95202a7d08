using BrowserAutomation.Automation;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A Chromium pool keeping two warm contexts, recycling its browser every five pages.</summary>
public sealed class WarmPoolFixture : PoolFixture
{
    public WarmPoolFixture()
        : base(BrowserEngines.Chromium)
    {
        Options.PrewarmContexts = 2;
        Options.MaxPagesPerBrowser = 5;
    }
}
