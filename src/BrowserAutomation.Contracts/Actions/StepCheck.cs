namespace BrowserAutomation.Contracts.Actions;

/// <summary>One step under check: where its fields' problems are reported, its index and the job's context.</summary>
/// <param name="Index">The step's position in the job (names the default evaluate result).</param>
/// <param name="At">The JSON path of a field of the step (null for the step itself).</param>
/// <param name="Context">The job's validation context.</param>
public sealed record StepCheck(int Index, Func<string?, string> At, StepValidationContext Context)
{
    /// <summary>Reports a problem with a field of the step.</summary>
    /// <param name="field">The field's JSON name (margin.top for a nested one).</param>
    /// <param name="message">What is wrong.</param>
    public void Problem(string field, string message) => Context.Problems.Add(At(field), message);

    /// <summary>Whether a problem is already reported for the field.</summary>
    /// <param name="field">The field's JSON name.</param>
    public bool HasProblem(string field) => Context.Problems.Has(At(field));
}
