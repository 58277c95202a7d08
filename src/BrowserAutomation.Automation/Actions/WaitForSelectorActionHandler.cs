using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// waitForSelector: waits (the step's timeoutMs, else the job's remaining budget) until some element matching the
/// target is visible (default) or attached, or until none is visible (hidden) or attached (detached). With nth, that element.
/// </summary>
internal sealed class WaitForSelectorActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var state = ParseState(action.State);
        var locator = TargetLocator.Create(context.Page, action);
        if (action.Nth is null)
        {
            // "Some match is visible" / "no match is visible" rather than Playwright's strict single-element wait.
            locator = state is WaitForSelectorState.Visible or WaitForSelectorState.Hidden
                ? locator.Filter(new LocatorFilterOptions { Visible = true }).First
                : locator.First;
            state = state switch
            {
                WaitForSelectorState.Visible => WaitForSelectorState.Attached,
                WaitForSelectorState.Hidden => WaitForSelectorState.Detached,
                _ => state,
            };
        }

        var timeout = context.StepTimeout(action);
        try
        {
            await locator.WaitForAsync(new LocatorWaitForOptions { State = state, Timeout = timeout }).WaitAsync(cancellationToken);
        }
        catch (TimeoutException ex)
        {
            var wanted = (action.State ?? "visible").ToLowerInvariant();
            throw wanted is "visible" or "attached"
                ? new JobStepException(
                    JobErrorTypes.SelectorNotFound, $"No element matching {TargetLocator.Describe(action)} became {wanted} within {timeout:0} ms.", ex)
                : new JobStepException(
                    JobErrorTypes.Timeout, $"{TargetLocator.Describe(action)} was still {(wanted == "hidden" ? "visible" : "attached")} after {timeout:0} ms.", ex);
        }

        return ActionResult.None;
    }

    private static WaitForSelectorState ParseState(string? state) => state?.ToLowerInvariant() switch
    {
        null or "" or "visible" => WaitForSelectorState.Visible,
        "attached" => WaitForSelectorState.Attached,
        "hidden" => WaitForSelectorState.Hidden,
        "detached" => WaitForSelectorState.Detached,
        _ => throw JobStepException.Validation($"Unknown state '{JobErrors.Shorten(state)}' for waitForSelector; expected visible, attached, hidden or detached."),
    };
}
