using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>The dashboard driven in headless Chromium (and Firefox) at 1280×720 against the running stack.</summary>
[Collection(DashboardStackDefinition.Name)]
public sealed class DashboardTests(DashboardStackFixture stack, ITestOutputHelper output)
{
    [Fact]
    public async Task A_key_shows_its_owners_jobs_live_from_pending_to_completed_with_a_thumbnail_and_never_another_owners()
    {
        var (alice, aliceOwner, aliceKey) = await stack.TenantAsync();
        var (bob, _, _) = await stack.TenantAsync();
        using var _a = alice;
        using var _b = bob;
        await using var dashboard = await DashboardPage.OpenAsync(stack.BaseAddress, "chromium");
        var page = dashboard.Page;

        await dashboard.EnterKeyAsync(aliceKey);
        await page.Locator("#app").WaitForAsync();
        Assert.Equal($"owner {aliceOwner}", await page.Locator("#owner").TextContentAsync());
        Assert.True(await page.Locator("#key-input").InputValueAsync() is "", "the key is not left on the page");
        await page.Locator("#connection[data-state='live']").WaitForAsync();

        // Bob's job holds the worker's only slot until the page has shown Alice's screenshot waiting in the queue.
        var gate = Guid.NewGuid().ToString("N");
        var bobs = await DashboardStackFixture.SubmitAsync(bob, stack.Held(gate));
        await stack.Site.WaitForHangRequestAsync(gate).WaitAsync(TimeSpan.FromSeconds(60));
        var shot = await DashboardStackFixture.SubmitAsync(alice, stack.Screenshot());
        await dashboard.WaitForRowAsync(shot, "pending", withThumbnail: false);
        await page.Locator(".queue[data-engine='chromium'] .queue-depth", new() { HasTextString = "1 pending" }).WaitForAsync();
        var failing = await DashboardStackFixture.SubmitAsync(alice, stack.Failing());
        stack.Site.OpenGate(gate);

        await dashboard.WaitForRowAsync(shot, "completed", withThumbnail: true);
        await dashboard.WaitForRowAsync(failing, "failed", withThumbnail: false);
        await page.Locator("#failures [data-error-type='selector_not_found']").WaitForAsync();
        await page.Locator("#workers .worker[data-status='idle']").WaitForAsync();

        var seen = await dashboard.RowsSeenAsync();
        Assert.True(seen.ToList().IndexOf($"{shot}:pending") < seen.ToList().IndexOf($"{shot}:completed") && seen.Contains($"{shot}:pending"),
            "the row went from pending to completed: " + string.Join(", ", seen));
        Assert.DoesNotContain(seen, s => s.StartsWith(bobs.ToString(), StringComparison.Ordinal));
        Assert.Equal(1, dashboard.Navigations);
        Assert.Contains("selector_not_found", await dashboard.Row(failing).TextContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(aliceKey, await page.ContentAsync(), StringComparison.Ordinal);
        var thumbnail = dashboard.Row(shot).Locator("img.thumb");
        Assert.StartsWith("blob:", await thumbnail.GetAttributeAsync("src"), StringComparison.Ordinal);
        Assert.True(await thumbnail.EvaluateAsync<int>("img => img.naturalWidth") > 0);

        // Bob's job finishes too, and still never shows for Alice.
        await stack.WaitForFinalStatusAsync(bobs);
        await page.Locator("#kpis .k-completed .kpi-value", new() { HasTextString = "1" }).WaitForAsync();
        Assert.DoesNotContain(await dashboard.RowsSeenAsync(), s => s.StartsWith(bobs.ToString(), StringComparison.Ordinal));
        output.WriteLine("Dashboard screenshot (tenant key): " + await dashboard.SaveScreenshotAsync("dashboard-chromium.png"));

        // The admin key sees every owner's jobs, Bob's included; "change key" drops what was shown first.
        await page.Locator("#change-key").ClickAsync();
        Assert.Equal(0, await page.Locator("tr[data-job-id]").CountAsync());
        await dashboard.EnterKeyAsync(stack.BootstrapAdminKey);
        await dashboard.WaitForRowAsync(bobs, "completed", withThumbnail: false);
        await dashboard.WaitForRowAsync(shot, "completed", withThumbnail: true);
        Assert.Equal("admin · every owner", await page.Locator("#owner").TextContentAsync());
        output.WriteLine("Dashboard screenshot (admin key): " + await dashboard.SaveScreenshotAsync("dashboard-admin-chromium.png"));
    }

    [Fact]
    public async Task A_wrong_or_revoked_key_is_told_so_and_shown_nothing_else()
    {
        var (id, key) = await stack.CreateKeyAsync("dashboard-revoked", "read");
        await using var dashboard = await DashboardPage.OpenAsync(stack.BaseAddress, "chromium");
        var page = dashboard.Page;

        await dashboard.EnterKeyAsync("ba_" + new string('0', 64));
        await AssertRefusedAsync(page);

        // A key revoked while the dashboard is open: the next refresh drops everything and says why.
        await dashboard.EnterKeyAsync(key);
        await page.Locator("#app").WaitForAsync();
        await stack.RevokeKeyAsync(id);
        await page.Locator("#key-error").WaitForAsync();
        await AssertRefusedAsync(page);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('browser-automation.dashboard.key')"));
        output.WriteLine("Refused-key screenshot: " + await dashboard.SaveScreenshotAsync("dashboard-refused-chromium.png"));
    }

    [Fact]
    public async Task The_dashboard_works_in_firefox()
    {
        var (client, _, key) = await stack.TenantAsync();
        using var _c = client;
        await using var dashboard = await DashboardPage.OpenAsync(stack.BaseAddress, "firefox");

        await dashboard.EnterKeyAsync("ba_wrong");
        await AssertRefusedAsync(dashboard.Page);
        await dashboard.EnterKeyAsync(key);
        await dashboard.Page.Locator("#app").WaitForAsync();
        var shot = await DashboardStackFixture.SubmitAsync(client, stack.Screenshot());

        await dashboard.WaitForRowAsync(shot, "completed", withThumbnail: true);
        Assert.Equal(1, dashboard.Navigations);
        output.WriteLine("Dashboard screenshot (Firefox): " + await dashboard.SaveScreenshotAsync("dashboard-firefox.png"));
    }

    private static async Task AssertRefusedAsync(IPage page)
    {
        var error = page.Locator("#key-error");
        await error.WaitForAsync();
        Assert.Contains("unknown or has been revoked", await error.TextContentAsync(), StringComparison.Ordinal);
        Assert.False(await page.Locator("#app").IsVisibleAsync());
        Assert.False(await page.Locator("#session").IsVisibleAsync());
        Assert.Equal(0, await page.Locator("tr[data-job-id], .queue, .worker, .reason, .kpi").CountAsync());
    }
}
