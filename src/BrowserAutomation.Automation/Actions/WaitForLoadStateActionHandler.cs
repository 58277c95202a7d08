using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>waitForLoadState: waits until the page reached State: load (default), domcontentloaded or networkidle.</summary>
internal sealed class WaitForLoadStateActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var state = ParseState(action.State);
        await context.ActAsync(
            action, timeout => context.Page.WaitForLoadStateAsync(state, new PageWaitForLoadStateOptions { Timeout = timeout }), cancellationToken);
        return ActionResult.None;
    }

    private static LoadState ParseState(string? state) => state?.ToLowerInvariant() switch
    {
        null or "" or "load" => LoadState.Load,
        "domcontentloaded" => LoadState.DOMContentLoaded,
        "networkidle" => LoadState.NetworkIdle,
        _ => throw JobStepException.Validation($"Unknown state '{JobErrors.Shorten(state)}' for waitForLoadState; expected load, domcontentloaded or networkidle."),
    };
}
