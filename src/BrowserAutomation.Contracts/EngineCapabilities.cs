using BrowserAutomation.Contracts.Actions;

namespace BrowserAutomation.Contracts;

/// <summary>
/// What each engine cannot do, so such jobs are refused with a clear message (by the API at submission, by the
/// executor before any browser work) instead of producing a silently wrong result:
/// Firefox (Debian's firefox-esr over WebDriver BiDi) ignores isMobile/hasTouch, colour-scheme emulation and
/// javaScriptEnabled=false. What an engine cannot do with a step (Firefox omitBackground, WebKit pdf) is listed in the
/// step's <see cref="ActionCatalog"/> entry.
/// </summary>
public static class EngineCapabilities
{
    private const string Chromium = "chromium";
    private const string Firefox = "firefox";
    private const string WebKit = "webkit";

    /// <summary>The engine names this check knows: chromium, firefox, webkit.</summary>
    public static IReadOnlyList<string> Engines { get; } = [Chromium, Firefox, WebKit];

    /// <summary>The problems of a job attempt on <paramref name="engine"/>; empty when the engine can run it.</summary>
    /// <param name="engine">chromium, firefox or webkit.</param>
    /// <param name="job">The attempt to check.</param>
    public static IReadOnlyList<EngineCapabilityProblem> Check(string engine, JobRequested job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Check(engine, job.Options, job.Actions);
    }

    /// <summary>The problems of job-level options and steps on <paramref name="engine"/>; empty when the engine can run them.</summary>
    /// <param name="engine">chromium, firefox or webkit.</param>
    /// <param name="options">The job-level context options (with the device a mobile browser type implies).</param>
    /// <param name="actions">The job's steps.</param>
    public static IReadOnlyList<EngineCapabilityProblem> Check(string engine, JobOptions? options, IReadOnlyList<JobAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var problems = new List<EngineCapabilityProblem>();
        switch (engine?.ToLowerInvariant())
        {
            case Chromium:
            case WebKit:
                break;

            case Firefox:
                // Only Playwright's "Desktop ..." descriptors leave isMobile and hasTouch off.
                if (options?.Device is { } device && !device.StartsWith("Desktop ", StringComparison.Ordinal))
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

                break;

            case SimulatedEngine.Name:
                // No browser runs: nothing an engine could not do applies.
                return problems;

            default:
                problems.Add(new(null, "engine", $"Unknown engine '{engine}'; expected one of {string.Join(", ", Engines)}."));
                return problems;
        }

        // What an engine cannot do with a step is part of the action's catalogue entry.
        for (var index = 0; index < actions.Count; index++)
        {
            var limits = ActionCatalog.Find(actions[index]?.Action)?.EngineLimits ?? [];
            foreach (var limit in limits)
            {
                if (limit.Engine.Equals(engine, StringComparison.OrdinalIgnoreCase) && limit.Applies(actions[index]))
                {
                    problems.Add(new(index, limit.Field, limit.Message));
                }
            }
        }

        return problems;
    }
}
