using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>select: selects the option(s) of a select target whose value or label is Value, or each of Values.</summary>
internal sealed class SelectActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        IEnumerable<string> values = action.Values ?? [action.Value!];
        var element = await context.LocateAsync(action, single: true, cancellationToken);
        await context.ActAsync(action, timeout => element.SelectOptionAsync(values, new LocatorSelectOptionOptions { Timeout = timeout }), cancellationToken);
        return ActionResult.None;
    }
}
