namespace BrowserAutomation.Contracts.Actions;

/// <summary>An action's rules between fields; reports through <paramref name="check"/> and returns the (canonicalised) step.</summary>
/// <param name="step">The step, its action and fields already checked one by one.</param>
/// <param name="check">Where problems go, and what the step is checked against.</param>
public delegate JobAction ActionRule(JobAction step, StepCheck check);
