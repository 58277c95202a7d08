using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>Turns a step's Target + GetTargetBy into a Playwright locator.</summary>
internal static class TargetLocator
{
    public const string BySelector = "getBySelector";

    private static readonly string[] Strategies =
        [BySelector, "getByText", "getByLabel", "getByRole", "getByPlaceholder", "getByTestId", "getByAltText", "getByTitle"];

    public static void Validate(JobAction action)
    {
        if (string.IsNullOrWhiteSpace(action.Target))
        {
            throw JobStepException.Validation($"The {action.Action} step needs a target.");
        }

        string strategy = action.GetTargetBy ?? BySelector;
        if (!Strategies.Contains(strategy, StringComparer.OrdinalIgnoreCase))
        {
            throw JobStepException.Validation($"Unknown getTargetBy '{strategy}'; expected one of {string.Join(", ", Strategies)}.");
        }

        if (strategy.Equals("getByRole", StringComparison.OrdinalIgnoreCase) && !Enum.TryParse<AriaRole>(action.Target, ignoreCase: true, out _))
        {
            throw JobStepException.Validation($"'{action.Target}' is not an ARIA role.");
        }
    }

    public static ILocator Create(IPage page, JobAction action)
    {
        string target = action.Target!;
        return (action.GetTargetBy ?? BySelector).ToLowerInvariant() switch
        {
            "getbytext" => page.GetByText(target),
            "getbylabel" => page.GetByLabel(target),
            "getbyrole" => page.GetByRole(Enum.Parse<AriaRole>(target, ignoreCase: true)),
            "getbyplaceholder" => page.GetByPlaceholder(target),
            "getbytestid" => page.GetByTestId(target),
            "getbyalttext" => page.GetByAltText(target),
            "getbytitle" => page.GetByTitle(target),
            _ => page.Locator(target),
        };
    }

    public static string Describe(JobAction action) => $"{action.GetTargetBy ?? BySelector}('{JobErrors.Shorten(action.Target ?? string.Empty)}')";
}
