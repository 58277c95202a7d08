using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>fill: replaces the value of an input, textarea or contenteditable target with Value (an empty value clears it).</summary>
internal sealed class FillActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var element = await context.LocateAsync(action, single: true, cancellationToken);
        await context.ActAsync(action, timeout => element.FillAsync(action.Value!, new LocatorFillOptions { Timeout = timeout }), cancellationToken);
        return ActionResult.None;
    }
}
