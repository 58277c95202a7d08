using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>type: types Value into the target key by key (firing key events, unlike fill), Delay ms between keys.</summary>
internal sealed class TypeActionHandler : IActionHandler
{
    public const int MaxDelayMs = 10_000;

    public string Name => "type";

    public void Validate(JobAction action, BrowserOptions options)
    {
        TargetLocator.Validate(action);
        if (string.IsNullOrEmpty(action.Value))
        {
            throw JobStepException.Validation("The type step needs a value to type.");
        }

        if (action.Delay is < 0 or > MaxDelayMs)
        {
            throw JobStepException.Validation($"delay must be between 0 and {MaxDelayMs} ms.");
        }
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        ILocator element = await context.LocateAsync(action, single: true, cancellationToken);
        await context.ActAsync(
            action,
            timeout => element.PressSequentiallyAsync(action.Value!, new LocatorPressSequentiallyOptions { Delay = action.Delay, Timeout = timeout }),
            cancellationToken);
        return ActionResult.None;
    }
}
