using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>click: clicks the target (scrolling it into view, waiting until it is visible, enabled and stable).</summary>
internal sealed class ClickActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var element = await context.LocateAsync(action, single: true, cancellationToken);
        await context.ActAsync(action, timeout => element.ClickAsync(new LocatorClickOptions { Timeout = timeout }), cancellationToken);
        return ActionResult.None;
    }
}
