namespace BrowserAutomation.Contracts.Actions;

/// <summary>Problems in the order found; a path may collect several messages (each once).</summary>
public sealed class ValidationProblems
{
    private readonly List<ValidationProblem> _problems = [];

    /// <summary>The number of paths with a problem.</summary>
    public int Count => _problems.Select(p => p.Path).Distinct(StringComparer.Ordinal).Count();

    /// <summary>Every problem, in the order found.</summary>
    public IReadOnlyList<ValidationProblem> All => _problems;

    /// <summary>Records a problem (a repeated path and message is kept once).</summary>
    /// <param name="path">The JSON path of the offending value.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="errorType">The error type the worker reports (validation_error by default).</param>
    public void Add(string path, string message, string errorType = JobErrorTypes.ValidationError)
    {
        if (!_problems.Any(p => p.Path == path && p.Message == message))
        {
            _problems.Add(new ValidationProblem(path, message, errorType));
        }
    }

    /// <summary>Whether a problem is recorded for <paramref name="path"/>.</summary>
    /// <param name="path">The JSON path.</param>
    public bool Has(string path) => _problems.Any(p => p.Path == path);

    /// <summary>The messages by path, as the API's validation problem details carry them.</summary>
    public Dictionary<string, string[]> ToDictionary() => _problems
        .GroupBy(p => p.Path, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal);
}
