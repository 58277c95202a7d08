using BrowserAutomation.Contracts;

namespace BrowserAutomation.Automation.Actions;

/// <summary>goto: navigates to Url (or Value), waiting for WaitUntil (default load); the response's status becomes the job's httpStatus.</summary>
internal sealed class GotoActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        await context.NavigateAsync(action.Url ?? action.Value!, action.WaitUntil, context.StepTimeout(action), cancellationToken);
        return ActionResult.None;
    }
}
