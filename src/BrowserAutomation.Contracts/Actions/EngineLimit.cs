namespace BrowserAutomation.Contracts.Actions;

/// <summary>Something an engine cannot do with an action, refused before any browser work.</summary>
/// <param name="Engine">chromium, firefox or webkit.</param>
/// <param name="Field">The step field the refusal names (omitBackground, or action when the whole action is refused).</param>
/// <param name="Applies">Whether the step asks for what the engine cannot do.</param>
/// <param name="Message">What cannot work and what to do instead.</param>
public sealed record EngineLimit(string Engine, string Field, Func<JobAction, bool> Applies, string Message);
