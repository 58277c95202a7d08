using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>scroll: brings the target into view, or without a target scrolls the page by X/Y pixels.</summary>
internal sealed class ScrollActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        if (action.Target is not null)
        {
            var element = await context.LocateAsync(action, single: true, cancellationToken);
            await context.ActAsync(
                action, timeout => element.ScrollIntoViewIfNeededAsync(new LocatorScrollIntoViewIfNeededOptions { Timeout = timeout }), cancellationToken);
        }
        else
        {
            // Instant, whatever the page's scroll-behavior says, so the next step sees the new position.
            await context.ActAsync(
                action,
                _ => context.Page.EvaluateAsync("([x, y]) => window.scrollBy({ left: x, top: y, behavior: 'instant' })", new[] { action.X ?? 0, action.Y ?? 0 }),
                cancellationToken);
        }

        return ActionResult.None;
    }
}
