using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// Runs one action of the catalogue (BrowserAutomation.Contracts.Actions.ActionCatalog), whose entry also holds the
/// action's fields and rules: steps reach a handler already checked. Handlers are stateless singletons, found by
/// <see cref="ActionHandlers"/>; the class name says which action it runs (WaitForSelectorActionHandler runs waitForSelector).
/// </summary>
internal interface IActionHandler
{
    Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken);
}
