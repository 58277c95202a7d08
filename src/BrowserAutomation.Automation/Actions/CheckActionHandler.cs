using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>check: ticks a checkbox or selects a radio button (no-op when already checked).</summary>
internal sealed class CheckActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var element = await context.LocateAsync(action, single: true, cancellationToken);
        await context.ActAsync(action, timeout => element.CheckAsync(new LocatorCheckOptions { Timeout = timeout }), cancellationToken);
        return ActionResult.None;
    }
}
