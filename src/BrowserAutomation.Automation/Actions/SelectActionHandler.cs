using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>select: selects the option(s) of a select target whose value or label is Value, or each of Values.</summary>
internal sealed class SelectActionHandler : IActionHandler
{
    public string Name => "select";

    public void Validate(JobAction action, BrowserOptions options)
    {
        TargetLocator.Validate(action);
        if (action.Value is not null && action.Values is not null)
        {
            throw JobStepException.Validation("The select step takes value (one option) or values (several), not both.");
        }

        if (action.Value is null && action.Values is not { Count: > 0 })
        {
            throw JobStepException.Validation("The select step needs a value or a non-empty values list.");
        }

        if (action.Values?.Any(static v => v is null) == true)
        {
            throw JobStepException.Validation("values must not contain null.");
        }
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        IEnumerable<string> values = action.Values ?? [action.Value!];
        ILocator element = await context.LocateAsync(action, single: true, cancellationToken);
        await context.ActAsync(action, timeout => element.SelectOptionAsync(values, new LocatorSelectOptionOptions { Timeout = timeout }), cancellationToken);
        return ActionResult.None;
    }
}
