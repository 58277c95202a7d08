using System.Text.RegularExpressions;

namespace BrowserAutomation.Contracts.Actions;

/// <summary>The assert action's rules: which fields each expectation takes.</summary>
public static class AssertRules
{
    /// <summary>How long one regular expression match may run: a pathological pattern fails instead of hanging the worker.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>The pattern of a matches check, as the worker runs it.</summary>
    /// <param name="pattern">The submitted pattern.</param>
    /// <param name="ignoreCase">Whether to match case-insensitively.</param>
    public static Regex Pattern(string pattern, bool ignoreCase) =>
        new(pattern, RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), MatchTimeout);

    internal static JobAction Check(JobAction step, StepCheck check)
    {
        if (step.Expect is not { } expect || check.HasProblem("expect"))
        {
            return step;
        }

        var targeted = expect is "text" or "visible" or "hidden" or "count";
        if (targeted && step.Target is null)
        {
            check.Problem("target", $"assert {expect} needs a target.");
        }
        else if (!targeted && step.Target is not null)
        {
            check.Problem("target", $"assert {expect} takes no target: it checks the page's {expect}.");
        }

        var matchers = new[] { ("equals", step.EqualTo), ("contains", step.Contains), ("matches", step.Matches) }.Where(m => m.Item2 is not null).ToList();
        var bounds = new[] { ("count", step.Count), ("min", step.Min), ("max", step.Max) }.Where(b => b.Item2 is not null).ToList();
        if (expect is "text" or "url" or "title")
        {
            if (matchers.Count != 1)
            {
                check.Problem(matchers.Count == 0 ? "equals" : matchers[1].Item1, $"assert {expect} needs exactly one of equals, contains or matches.");
            }

            if (step.Matches is { } pattern)
            {
                try
                {
                    _ = Pattern(pattern, step.IgnoreCase == true);
                }
                catch (ArgumentException ex)
                {
                    check.Problem("matches", $"'{ActionValues.Shorten(pattern)}' is not a regular expression: {ex.Message}");
                }
            }
        }
        else if (matchers.Count > 0 || step.IgnoreCase is not null)
        {
            check.Problem(matchers.Count > 0 ? matchers[0].Item1 : "ignoreCase", "equals, contains, matches and ignoreCase apply to expect text, url or title.");
        }

        if (expect == "count")
        {
            if (bounds.Count == 0)
            {
                check.Problem("count", "assert count needs count (exactly), or min and/or max.");
            }
            else if (step.Count is not null && bounds.Count > 1)
            {
                check.Problem(bounds[1].Item1, "count (exactly) goes without min and max.");
            }
            else if (bounds.FirstOrDefault(b => b.Item2 < 0) is { Item1: { } negative })
            {
                check.Problem(negative, $"{negative} must be 0 or more.");
            }
            else if (step.Min > step.Max)
            {
                check.Problem("min", "min must not exceed max.");
            }
        }
        else if (bounds.Count > 0)
        {
            check.Problem(bounds[0].Item1, "count, min and max apply to expect count.");
        }

        return step;
    }
}
