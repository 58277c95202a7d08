namespace BrowserAutomation.Contracts.Actions;

/// <summary>One problem of a request or step, keyed by the JSON path of the offending value.</summary>
/// <param name="Path">e.g. actions[3].target, payload.extractors[0].name.</param>
/// <param name="Message">What is wrong and what is accepted.</param>
/// <param name="ErrorType">validation_error, or url_blocked for a URL the policy refuses (see <see cref="JobErrorTypes"/>).</param>
public sealed record ValidationProblem(string Path, string Message, string ErrorType);
