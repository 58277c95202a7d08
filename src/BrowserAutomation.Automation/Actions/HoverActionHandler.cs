using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>hover: moves the mouse over the target.</summary>
internal sealed class HoverActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var element = await context.LocateAsync(action, single: true, cancellationToken);
        await context.ActAsync(action, timeout => element.HoverAsync(new LocatorHoverOptions { Timeout = timeout }), cancellationToken);
        return ActionResult.None;
    }
}
