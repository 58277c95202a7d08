using System.Diagnostics;
using System.Text.Json;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>The page, the time budget and the results that every step of one attempt shares.</summary>
internal sealed class ActionContext
{
    private readonly Stopwatch _clock;
    private readonly BrowserOptions _options;
    private readonly Dictionary<string, int> _fileCounts = new(StringComparer.Ordinal);

    public ActionContext(IPage page, JobRequested job, Stopwatch clock, BrowserOptions options, EgressMonitor egress)
    {
        Page = page;
        Egress = egress;
        Job = job;
        _clock = clock;
        _options = options;
        page.Crash += (_, _) => PageCrashed = true;
    }

    public IPage Page { get; }

    /// <summary>The URL policy and what the egress proxy refused for this attempt.</summary>
    public EgressMonitor Egress { get; }

    public JobRequested Job { get; }

    public string Engine => Job.Engine;

    /// <summary>The renderer died; the browser itself may still be fine.</summary>
    public bool PageCrashed { get; private set; }

    /// <summary>HTTP status of the last main-frame navigation that had a response.</summary>
    public int? HttpStatus { get; private set; }

    /// <summary>Named values from extract and evaluate steps.</summary>
    public Dictionary<string, JsonElement> Extracted { get; } = new(StringComparer.Ordinal);

    /// <summary>The step's own timeout, never beyond what is left of the attempt's budget.</summary>
    public float StepTimeout(JobAction? action)
    {
        var remaining = Remaining();
        // Playwright reads 0 as "no timeout", so a step timeout is at least 1 ms.
        return action?.TimeoutMs is > 0 and int stepTimeout ? Math.Min(stepTimeout, remaining) : remaining;
    }

    /// <summary>
    /// How long a step waits for its target to exist: its timeoutMs, else <see cref="BrowserOptions.TargetTimeoutMs"/>,
    /// never beyond the attempt's budget. A missing target fails fast instead of eating the whole job timeout.
    /// </summary>
    public float TargetTimeout(JobAction action)
    {
        var remaining = Remaining();
        return action.TimeoutMs is > 0 and int stepTimeout ? Math.Min(stepTimeout, remaining) : Math.Min(_options.TargetTimeoutMs, remaining);
    }

    public async Task<IResponse?> NavigateAsync(string url, string? waitUntil, float timeout, CancellationToken cancellationToken)
    {
        Egress.CheckUrl(url);
        IResponse? response;
        try
        {
            response = await Page.GotoAsync(url, new PageGotoOptions { WaitUntil = Navigation.ParseWaitUntil(waitUntil), Timeout = timeout })
                .WaitAsync(cancellationToken);
        }
        catch (PlaywrightException ex) when (JobErrors.IsNavigationError(ex) || !JobErrors.IsTargetClosed(ex))
        {
            Egress.ThrowIfRefused(url);
            // Firefox over BiDi reports some refusals (e.g. unsafe ports) without an NS_ERROR_ code.
            throw new JobStepException(JobErrorTypes.NavigationFailed, JobErrors.Shorten(ex.Message), ex);
        }

        Egress.ThrowIfBlocked(response);

        if (response is not null)
        {
            HttpStatus = response.Status;
        }

        return response;
    }

    /// <summary>
    /// Waits (<see cref="TargetTimeout"/>) for the step's target to exist: nothing matching is selector_not_found.
    /// A single-element step whose target matches several elements (and sets no nth) fails saying how many matched.
    /// </summary>
    public async Task<ILocator> LocateAsync(JobAction action, bool single, CancellationToken cancellationToken)
    {
        var locator = TargetLocator.Create(Page, action);
        var timeout = TargetTimeout(action);
        try
        {
            await locator.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = timeout })
                .WaitAsync(cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new JobStepException(
                JobErrorTypes.SelectorNotFound, $"No element matched {TargetLocator.Describe(action)} within {timeout:0} ms.", ex);
        }

        if (single && action.Nth is null)
        {
            var count = await locator.CountAsync().WaitAsync(cancellationToken);
            if (count > 1)
            {
                throw JobStepException.Validation(
                    $"{TargetLocator.Describe(action)} matched {count} elements; {action.Action} needs exactly one: make the target more specific or set nth.");
            }
        }

        return locator;
    }

    /// <summary>Runs a Playwright call with the step's timeout, turning its timeout into a message that names the step.</summary>
    public async Task<T> ActAsync<T>(JobAction action, Func<float, Task<T>> act, CancellationToken cancellationToken)
    {
        var timeout = StepTimeout(action);
        try
        {
            return await act(timeout).WaitAsync(cancellationToken);
        }
        catch (TimeoutException ex)
        {
            var what = action.Target is null ? action.Action : $"{action.Action} on {TargetLocator.Describe(action)}";
            throw new JobStepException(JobErrorTypes.Timeout, $"{what} did not finish within {timeout:0} ms{JobErrors.LastCallLogLine(ex.Message)}", ex);
        }
    }

    public Task ActAsync(JobAction action, Func<float, Task> act, CancellationToken cancellationToken) =>
        ActAsync(action, async timeout =>
        {
            await act(timeout);
            return true;
        }, cancellationToken);

    /// <summary>name.ext for the job's first file of that name, name-{index}.ext after it (screenshot.png, screenshot-3.png).</summary>
    public string NextFileName(string name, int index, string extension)
    {
        var count = _fileCounts[name] = _fileCounts.GetValueOrDefault(name) + 1;
        return count == 1 ? $"{name}.{extension}" : $"{name}-{index}.{extension}";
    }

    private long Remaining()
    {
        var remaining = Job.TimeoutMs - _clock.ElapsedMilliseconds;
        return remaining > 0 ? remaining : throw new TimeoutException($"The job exceeded its timeout of {Job.TimeoutMs} ms.");
    }
}
