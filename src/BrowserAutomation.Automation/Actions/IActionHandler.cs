using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// Runs one action of the catalogue (BrowserAutomation.Contracts.Actions.ActionCatalog), whose entry also holds the
/// action's fields and rules: steps reach a handler already checked. Handlers are stateless singletons, found by
/// <see cref="ActionHandlers"/>.
/// </summary>
internal interface IActionHandler
{
    /// <summary>The <see cref="JobAction.Action"/> value this handler runs (its catalogue entry's name).</summary>
    string Name { get; }

    Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken);
}
