using System.Text.Json;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// evaluate: runs the JavaScript Expression in the page (or in Frame) and stores its JSON result under Name, else
/// "evaluate-{index}". A function is called, a promise awaited. Trusted clients only: it is refused unless the worker
/// runs with <see cref="BrowserOptions.EvaluateEnabled"/>.
/// </summary>
internal sealed class EvaluateActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var json = await context.ActAsync(action, timeout => EvaluateAsync(context.Page, action, timeout), cancellationToken);
        using var document = JsonDocument.Parse(json ?? "null");
        context.Extracted[action.Name ?? $"evaluate-{index}"] = document.RootElement.Clone();
        return ActionResult.None;
    }

    private static async Task<string?> EvaluateAsync(IPage page, JobAction action, float timeout)
    {
        var frame = page.MainFrame;
        if (action.Frame is { } frameSelector)
        {
            IElementHandle owner;
            try
            {
                owner = await page.Locator(frameSelector).First.ElementHandleAsync(new LocatorElementHandleOptions { Timeout = timeout });
            }
            catch (TimeoutException ex)
            {
                throw new JobStepException(JobErrorTypes.SelectorNotFound, $"No iframe matched frame '{JobErrors.Shorten(frameSelector)}' within {timeout:0} ms.", ex);
            }

            await using (owner)
            {
                frame = await owner.ContentFrameAsync()
                    ?? throw JobStepException.Validation($"frame '{JobErrors.Shorten(frameSelector)}' is not an iframe.");
            }
        }

        IJSHandle result;
        try
        {
            result = await frame.EvaluateHandleAsync(action.Expression!);
        }
        catch (PlaywrightException ex) when (!JobErrors.IsTargetClosed(ex))
        {
            throw JobStepException.Validation($"The expression failed: {JobErrors.Shorten(ex.Message)}");
        }

        try
        {
            // Serialised in the page: Playwright's own serialisation adds reference ids to objects.
            return await result.EvaluateAsync<string?>("value => value === undefined ? null : (JSON.stringify(value) ?? null)");
        }
        catch (PlaywrightException ex) when (!JobErrors.IsTargetClosed(ex))
        {
            throw JobStepException.Validation($"The expression's result cannot be turned into JSON: {JobErrors.Shorten(ex.Message)}");
        }
        finally
        {
            await result.DisposeAsync();
        }
    }
}
