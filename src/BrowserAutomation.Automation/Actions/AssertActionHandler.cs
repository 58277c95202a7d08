using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// assert: checks the page every 100 ms until Expect holds or the step's timeout (timeoutMs, else the target timeout,
/// never beyond the job's budget) runs out, like Playwright's expect; then the job fails as assertion_failed with the
/// expected and the last actual value. Text is the target's textContent with white space collapsed; visible means some
/// match is visible, hidden that none is.
/// </summary>
internal sealed partial class AssertActionHandler : IActionHandler
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var expect = ActionValues.Canonical(action.Expect, ActionValues.AssertExpectations)
            ?? throw JobStepException.Validation($"assert needs expect: {string.Join(", ", ActionValues.AssertExpectations)}.");
        var timeout = context.TargetTimeout(action);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (holds, actual) = await CheckAsync(context, action, expect, cancellationToken);
            if (holds)
            {
                AssertTelemetry.Record(expect, passed: true);
                return ActionResult.None;
            }

            if (clock.ElapsedMilliseconds >= timeout)
            {
                AssertTelemetry.Record(expect, passed: false);
                var subject = action.Target is null ? $"the page {expect}" : $"{expect} of {TargetLocator.Describe(action)}";
                throw new JobStepException(JobErrorTypes.AssertionFailed,
                    string.Create(CultureInfo.InvariantCulture, $"assert failed: expected {subject} {Expected(action, expect)}, but {actual} (after {timeout:0} ms)."));
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static async Task<(bool Holds, string Actual)> CheckAsync(ActionContext context, JobAction action, string expect, CancellationToken cancellationToken)
    {
        switch (expect)
        {
            case "url":
                return Compare(action, context.Page.Url);
            case "title":
                return Compare(action, await context.Page.TitleAsync().WaitAsync(cancellationToken));
            case "text":
                var texts = await TargetLocator.Create(context.Page, action).EvaluateAllAsync<string?[]>("elements => elements.map(e => e.textContent)")
                    .WaitAsync(cancellationToken);
                if (texts.Length > 1)
                {
                    throw JobStepException.Validation(
                        $"{TargetLocator.Describe(action)} matched {texts.Length} elements; assert text needs exactly one: make the target more specific or set nth.");
                }

                return texts is [var text] ? Compare(action, Whitespace().Replace(text ?? "", " ").Trim()) : (false, "no element matched");
            case "count":
                var count = await TargetLocator.Create(context.Page, action).CountAsync().WaitAsync(cancellationToken);
                return (count == (action.Count ?? count) && count >= (action.Min ?? 0) && count <= (action.Max ?? int.MaxValue),
                    string.Create(CultureInfo.InvariantCulture, $"{count} matched"));
            default:
                var locator = TargetLocator.Create(context.Page, action);
                var visible = action.Nth is null
                    ? await locator.Filter(new LocatorFilterOptions { Visible = true }).CountAsync().WaitAsync(cancellationToken) > 0
                    : await locator.IsVisibleAsync().WaitAsync(cancellationToken);
                return (visible == (expect == "visible"), visible ? "it is visible" : "it is not visible");
        }
    }

    private static (bool Holds, string Actual) Compare(JobAction action, string actual)
    {
        var ignoreCase = action.IgnoreCase == true;
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        bool holds;
        try
        {
            holds = action switch
            {
                { EqualTo: { } equal } => string.Equals(actual, equal, comparison),
                { Contains: { } part } => actual.Contains(part, comparison),
                { Matches: { } pattern } => AssertRules.Pattern(pattern, ignoreCase).IsMatch(actual),
                _ => throw JobStepException.Validation("assert needs one of equals, contains or matches."),
            };
        }
        catch (RegexMatchTimeoutException ex)
        {
            throw JobStepException.Validation($"matches took longer than {AssertRules.MatchTimeout.TotalMilliseconds:0} ms on the page's value: simplify the pattern. {ex.Message}");
        }

        return (holds, $"it was {Quote(actual)}");
    }

    private static string Expected(JobAction action, string expect)
    {
        if (expect == "count")
        {
            return action switch
            {
                { Count: { } exactly } => string.Create(CultureInfo.InvariantCulture, $"to be {exactly}"),
                { Min: { } min, Max: { } max } => string.Create(CultureInfo.InvariantCulture, $"to be between {min} and {max}"),
                { Min: { } min } => string.Create(CultureInfo.InvariantCulture, $"to be at least {min}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"to be at most {action.Max}"),
            };
        }

        if (expect is "visible" or "hidden")
        {
            return $"to be {expect}";
        }

        var wanted = action switch
        {
            { EqualTo: { } equal } => $"to equal {Quote(equal)}",
            { Contains: { } part } => $"to contain {Quote(part)}",
            _ => $"to match /{Quote(action.Matches ?? "")[1..^1]}/",
        };
        return action.IgnoreCase == true ? $"{wanted} (ignoring case)" : wanted;
    }

    private static string Quote(string value)
    {
        var line = value.ReplaceLineEndings(" ");
        return $"'{(line.Length <= 150 ? line : string.Concat(line.AsSpan(0, 147), "..."))}'";
    }

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
