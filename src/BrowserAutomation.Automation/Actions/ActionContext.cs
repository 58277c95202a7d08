using System.Diagnostics;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>The page and time budget that every step of one attempt shares.</summary>
internal sealed class ActionContext
{
    private readonly Stopwatch _clock;
    private int _screenshots;

    public ActionContext(IPage page, JobRequested job, Stopwatch clock)
    {
        Page = page;
        Job = job;
        _clock = clock;
        page.Crash += (_, _) => PageCrashed = true;
    }

    public IPage Page { get; }

    public JobRequested Job { get; }

    /// <summary>The renderer died; the browser itself may still be fine.</summary>
    public bool PageCrashed { get; private set; }

    /// <summary>The step's own timeout, never beyond what is left of the attempt's budget.</summary>
    public float StepTimeout(JobAction? action)
    {
        long remaining = Job.TimeoutMs - _clock.ElapsedMilliseconds;
        if (remaining <= 0)
        {
            throw new TimeoutException($"The job exceeded its timeout of {Job.TimeoutMs} ms.");
        }

        // Playwright reads 0 as "no timeout", so a step timeout is at least 1 ms.
        return action?.TimeoutMs is > 0 and int stepTimeout ? Math.Min(stepTimeout, remaining) : remaining;
    }

    public async Task<IResponse?> NavigateAsync(string url, string? waitUntil, float timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await Page.GotoAsync(url, new PageGotoOptions { WaitUntil = Navigation.ParseWaitUntil(waitUntil), Timeout = timeout })
                .WaitAsync(cancellationToken);
        }
        catch (PlaywrightException ex) when (JobErrors.IsNavigationError(ex) || !JobErrors.IsTargetClosed(ex))
        {
            // Firefox over BiDi reports some refusals (e.g. unsafe ports) without an NS_ERROR_ code.
            throw new JobStepException(JobErrorTypes.NavigationFailed, JobErrors.Shorten(ex.Message), ex);
        }
    }

    /// <summary>Waits for the step's target to exist; nothing matching within the step timeout is selector_not_found.</summary>
    public async Task<ILocator> LocateAsync(JobAction action, CancellationToken cancellationToken)
    {
        ILocator locator = TargetLocator.Create(Page, action);
        float timeout = StepTimeout(action);
        try
        {
            await locator.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = timeout })
                .WaitAsync(cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new JobStepException(
                JobErrorTypes.SelectorNotFound, $"No element matched {TargetLocator.Describe(action)} within {timeout:0} ms.", ex);
        }

        return locator;
    }

    /// <summary>screenshot.png for the job's first screenshot, screenshot-{index}.png after it.</summary>
    public string NextScreenshotFileName(int index, string extension) =>
        Interlocked.Increment(ref _screenshots) == 1 ? $"screenshot.{extension}" : $"screenshot-{index}.{extension}";
}
