namespace BrowserAutomation.Contracts;

/// <summary>Something a job asks for that its engine cannot do (see <see cref="EngineCapabilities"/>).</summary>
/// <param name="StepIndex">The step, or null for a job-level option.</param>
/// <param name="Field">The step's field (omitBackground, action) or the job-level path (options.device).</param>
/// <param name="Message">What cannot work and what to do instead.</param>
public sealed record EngineCapabilityProblem(int? StepIndex, string Field, string Message)
{
    /// <summary>The JSON path of the offending value: actions[2].omitBackground, options.device.</summary>
    public string Path => StepIndex is int index ? $"actions[{index}].{Field}" : Field;
}
