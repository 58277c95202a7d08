using BrowserAutomation.Contracts;

namespace BrowserAutomation.Automation;

/// <summary>
/// What each engine cannot do, so such jobs are refused with a clear message (by the API at submission, by the
/// executor before any browser work) instead of producing a silently wrong result:
/// Firefox (Debian's firefox-esr over WebDriver BiDi) ignores isMobile/hasTouch, colour-scheme emulation and
/// javaScriptEnabled=false, and cannot omit the screenshot background; WebKit cannot print PDFs.
/// </summary>
public static class EngineCapabilities
{
    public static IReadOnlyList<EngineCapabilityProblem> Check(string engine, JobRequested job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Check(engine, job.Options, job.Actions);
    }

    public static IReadOnlyList<EngineCapabilityProblem> Check(string engine, JobOptions? options, IReadOnlyList<JobAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var problems = new List<EngineCapabilityProblem>();
        switch (engine?.ToLowerInvariant())
        {
            case BrowserEngines.Chromium:
                break;

            case BrowserEngines.Firefox:
                if (options?.Device is { } device && DeviceCatalog.IsMobile(device))
                {
                    problems.Add(new(null, "options.device",
                        $"Firefox cannot emulate the mobile device '{device}': over WebDriver BiDi it ignores isMobile and hasTouch. Use a Chromium (or WebKit) browser type for mobile emulation."));
                }

                if (options?.ColorScheme is { } scheme && !scheme.Equals("light", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(new(null, "options.colorScheme",
                        $"Firefox over WebDriver BiDi does not emulate colorScheme '{scheme}' (pages would see the default light scheme). Use Chromium."));
                }

                if (options?.JavaScriptEnabled == false)
                {
                    problems.Add(new(null, "options.javaScriptEnabled",
                        "Firefox over WebDriver BiDi cannot disable JavaScript (pages would run their scripts anyway). Use Chromium."));
                }

                for (int index = 0; index < actions.Count; index++)
                {
                    if (IsAction(actions[index], "screenshot") && actions[index].OmitBackground == true)
                    {
                        problems.Add(new(index, "omitBackground",
                            "Firefox over WebDriver BiDi cannot take screenshots with a transparent background. Use Chromium, or drop omitBackground."));
                    }
                }

                break;

            case BrowserEngines.WebKit:
                for (int index = 0; index < actions.Count; index++)
                {
                    if (IsAction(actions[index], "pdf"))
                    {
                        problems.Add(new(index, "action", "WebKit cannot print pages to PDF. Use Chromium or Firefox for pdf steps."));
                    }
                }

                break;

            default:
                problems.Add(new(null, "engine", $"Unknown engine '{engine}'; expected one of {string.Join(", ", BrowserEngines.All)}."));
                break;
        }

        return problems;
    }

    private static bool IsAction(JobAction action, string name) => string.Equals(action.Action, name, StringComparison.OrdinalIgnoreCase);
}
