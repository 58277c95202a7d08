using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.Automation.Actions;

/// <summary>One action type. Handlers are stateless singletons registered in <see cref="ActionHandlers"/>.</summary>
internal interface IActionHandler
{
    /// <summary>The <see cref="JobAction.Action"/> value this handler runs.</summary>
    string Name { get; }

    /// <summary>Checks the step's fields before any browser work; throws a <see cref="JobStepException"/> when it cannot run.</summary>
    void Validate(JobAction action, BrowserOptions options);

    Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken);
}
