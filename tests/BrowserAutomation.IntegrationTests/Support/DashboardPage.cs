using Microsoft.Playwright;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>
/// The dashboard open in a real browser at 1280×720. An init script records every job row the page ever shows, with
/// each status it had, so a test can tell what appeared even between two looks.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private const string RecordRows = """
        window.__rows = [];
        new MutationObserver(() => {
          for (const row of document.querySelectorAll('tr[data-job-id]')) {
            const seen = `${row.dataset.jobId}:${row.dataset.status}`;
            if (window.__rows[window.__rows.length - 1] !== seen && !window.__rows.includes(seen)) {
              window.__rows.push(seen);
            }
          }
        }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
        """;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private int _navigations;

    private DashboardPage(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                Interlocked.Increment(ref _navigations);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Main-frame navigations since the page opened (1: it never reloaded).</summary>
    public int Navigations => _navigations;

    /// <summary>Debian's chromium-headless-shell, or firefox-esr over WebDriver BiDi, both as the worker launches them.</summary>
    public static async Task<DashboardPage> OpenAsync(Uri api, string engine)
    {
        var playwright = await Playwright.CreateAsync();
        var defaults = new BrowserAutomation.Automation.BrowserOptions();
        var browser = engine == "firefox"
            ? await playwright.Firefox.LaunchAsync(new() { Channel = "moz-firefox", ExecutablePath = defaults.FirefoxExecutablePath, Headless = true })
            : await playwright.Chromium.LaunchAsync(new() { ExecutablePath = defaults.ChromiumExecutablePath, Headless = true });
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
        await context.AddInitScriptAsync(RecordRows);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var dashboard = new DashboardPage(playwright, browser, page);
        await page.GotoAsync(new Uri(api, "/dashboard").ToString());
        return dashboard;
    }

    /// <summary>Types a key into the form and submits it.</summary>
    public async Task EnterKeyAsync(string key)
    {
        await Page.Locator("#key-input").FillAsync(key);
        await Page.Locator("#key-submit").ClickAsync();
    }

    public ILocator Row(Guid jobId) => Page.Locator($"tr[data-job-id='{jobId}']");

    /// <summary>Every "jobId:status" the page has shown, in the order first seen.</summary>
    public async Task<IReadOnlyList<string>> RowsSeenAsync() => await Page.EvaluateAsync<string[]>("() => window.__rows");

    /// <summary>Waits for the job's row to show <paramref name="status"/> with every screenshot thumbnail loaded.</summary>
    public async Task WaitForRowAsync(Guid jobId, string status, bool withThumbnail)
    {
        var row = Page.Locator($"tr[data-job-id='{jobId}'][data-status='{status}']");
        await row.WaitForAsync();
        if (withThumbnail)
        {
            await row.Locator("img.thumb[data-loaded='true']").First.WaitForAsync();
        }
    }

    /// <summary>Saves a screenshot under the test output folder's artifacts/ and returns its path.</summary>
    public async Task<string> SaveScreenshotAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await Page.ScreenshotAsync(new() { Path = path });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
