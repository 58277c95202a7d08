using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.Automation.Actions;

/// <summary>wait: pauses for Milliseconds (bounded by the job's budget like everything else).</summary>
internal sealed class WaitActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        await Task.Delay(action.Milliseconds!.Value, cancellationToken);
        return ActionResult.None;
    }
}
