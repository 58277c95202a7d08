using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>uncheck: clears a checkbox (no-op when already clear).</summary>
internal sealed class UncheckActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var element = await context.LocateAsync(action, single: true, cancellationToken);
        await context.ActAsync(action, timeout => element.UncheckAsync(new LocatorUncheckOptions { Timeout = timeout }), cancellationToken);
        return ActionResult.None;
    }
}
