using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>Turns a step's Target + GetTargetBy (+ Exact, RoleName, Frame, Nth) into a Playwright locator.</summary>
internal static class TargetLocator
{
    private const string BySelector = "getBySelector";

    public static ILocator Create(IPage page, JobAction action)
    {
        var target = action.Target!;
        var exact = action.Exact;
        var strategy = (action.GetTargetBy ?? BySelector).ToLowerInvariant();
        var locator = action.Frame is { } frameSelector
            ? strategy switch
            {
                "getbytext" => page.FrameLocator(frameSelector).GetByText(target, new() { Exact = exact }),
                "getbylabel" => page.FrameLocator(frameSelector).GetByLabel(target, new() { Exact = exact }),
                "getbyrole" => page.FrameLocator(frameSelector).GetByRole(Role(target), new() { Name = RoleName(action), Exact = exact }),
                "getbyplaceholder" => page.FrameLocator(frameSelector).GetByPlaceholder(target, new() { Exact = exact }),
                "getbytestid" => page.FrameLocator(frameSelector).GetByTestId(target),
                "getbyalttext" => page.FrameLocator(frameSelector).GetByAltText(target, new() { Exact = exact }),
                "getbytitle" => page.FrameLocator(frameSelector).GetByTitle(target, new() { Exact = exact }),
                _ => page.FrameLocator(frameSelector).Locator(target),
            }
            : strategy switch
            {
                "getbytext" => page.GetByText(target, new() { Exact = exact }),
                "getbylabel" => page.GetByLabel(target, new() { Exact = exact }),
                "getbyrole" => page.GetByRole(Role(target), new() { Name = RoleName(action), Exact = exact }),
                "getbyplaceholder" => page.GetByPlaceholder(target, new() { Exact = exact }),
                "getbytestid" => page.GetByTestId(target),
                "getbyalttext" => page.GetByAltText(target, new() { Exact = exact }),
                "getbytitle" => page.GetByTitle(target, new() { Exact = exact }),
                _ => page.Locator(target),
            };

        return action.Nth is int nth ? locator.Nth(nth) : locator;
    }

    /// <summary>e.g. getByRole('button', name 'Sign in') in frame '#login' (nth 1).</summary>
    public static string Describe(JobAction action)
    {
        var description = $"{action.GetTargetBy ?? BySelector}('{JobErrors.Shorten(action.Target ?? string.Empty)}')";
        if (RoleName(action) is { } name && (action.GetTargetBy ?? BySelector).Equals("getByRole", StringComparison.OrdinalIgnoreCase))
        {
            description += $" named '{JobErrors.Shorten(name)}'";
        }

        if (action.Exact == true)
        {
            description += " (exact)";
        }

        if (action.Frame is { } frame)
        {
            description += $" in frame '{JobErrors.Shorten(frame)}'";
        }

        if (action.Nth is int nth)
        {
            description += $" [nth {nth}]";
        }

        return description;
    }

    /// <summary>getByRole's accessible name: roleName, or name for actions that do not use name for their result.</summary>
    private static string? RoleName(JobAction action) =>
        action.RoleName ?? (ActionCatalog.Find(action.Action)?.Fields.Any(static f => f.Name == "name") == true ? null : action.Name);

    private static AriaRole Role(string target) => Enum.Parse<AriaRole>(target, ignoreCase: true);
}
