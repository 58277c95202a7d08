using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>press: presses the key in Value ("Enter", "Tab", "Control+A"...) on the target, or on the focused element without one.</summary>
internal sealed class PressActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var key = action.Value!;
        if (action.Target is null)
        {
            await context.ActAsync(action, _ => context.Page.Keyboard.PressAsync(key), cancellationToken);
        }
        else
        {
            var element = await context.LocateAsync(action, single: true, cancellationToken);
            await context.ActAsync(action, timeout => element.PressAsync(key, new LocatorPressOptions { Timeout = timeout }), cancellationToken);
        }

        return ActionResult.None;
    }
}
