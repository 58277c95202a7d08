using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>type: types Value into the target key by key (firing key events, unlike fill), Delay ms between keys.</summary>
internal sealed class TypeActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var element = await context.LocateAsync(action, single: true, cancellationToken);
        await context.ActAsync(
            action,
            timeout => element.PressSequentiallyAsync(action.Value!, new LocatorPressSequentiallyOptions { Delay = action.Delay, Timeout = timeout }),
            cancellationToken);
        return ActionResult.None;
    }
}
