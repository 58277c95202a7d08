using System.Diagnostics;
using BrowserAutomation.Automation.Actions;
using BrowserAutomation.Automation.Forensics;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Contracts.Actions;
using BrowserAutomation.Networking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Execution;

/// <summary>
/// Runs one attempt: a fresh context on a pooled browser, the first navigation, then each action in order, all
/// within the job's time budget. Popups are closed (the job stays on its page), dialogs are dismissed (Playwright's
/// default with no handler), downloads refused. Every URL passes the URL policy: the job URL and gotos before the
/// browser sees them, everything else at the pool's egress proxy (see <see cref="EgressMonitor"/>). Job failures come
/// back as a failed outcome; only the caller's cancellation throws.
/// </summary>
public sealed class JobExecutor(BrowserPool pool, IOptions<BrowserOptions> options, ILogger<JobExecutor> logger) : IJobExecutor
{
    private const int FailureScreenshotTimeoutMs = 1_500;

    private readonly BrowserOptions _options = options.Value;

    public async Task<JobExecutionOutcome> ExecuteAsync(JobRequested job, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var startedAt = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var steps = new List<StepOutcome>(job.Actions.Count);
        var artifacts = new List<ProducedArtifact>();
        var egress = new EgressMonitor(pool.Egress, job, logger);
        var forensics = new AttemptForensics(job, _options, logger);

        if (Validate(job, _options, pool.Egress.Policy) is { } invalid)
        {
            if (invalid.StepIndex is int invalidIndex)
            {
                steps.Add(new StepOutcome(invalidIndex, job.Actions[invalidIndex].Action ?? string.Empty, "failed", 0, invalid.Error.Message));
            }

            return Fail(invalid.Error.ErrorType, invalid.Error.Message, invalid.StepIndex, null, null);
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(job.TimeoutMs);
        var token = attempt.Token;

        BrowserLease? lease = null;
        ActionContext? context = null;
        int? stepIndex = null;
        var popups = 0;
        Stopwatch stepClock = new();
        Activity? stepSpan = null;
        try
        {
            var contextOptions = await JobContextOptions.CreateAsync(job, pool);
            forensics.Configure(contextOptions);
            // A job with default context options may get a pre-warmed context, its blank page already open.
            lease = await pool.AcquireContextAsync(job.Engine, contextOptions, JobContextOptions.WarmKeyOf(job), token);
            await JobContextOptions.PrepareAsync(lease.Context, job, logger, token);
            var page = lease.Page ?? await lease.Context.NewPageAsync().WaitAsync(token);
            egress.Attach(lease.Context, page, lease.Egress);
            await forensics.StartAsync(lease.Context, page, token);
            // The job stays on its own page: whatever the page opens is closed (and was routed like the page).
            lease.Context.Page += (_, opened) =>
            {
                if (!ReferenceEquals(opened, page))
                {
                    Interlocked.Increment(ref popups);
                    _ = ClosePopupAsync(opened);
                }
            };
            page.SetDefaultTimeout(job.TimeoutMs);
            page.SetDefaultNavigationTimeout(job.TimeoutMs);
            context = new ActionContext(page, job, clock, _options, egress);

            stepSpan = AutomationSpans.StartNavigate(job.TargetUrl);
            await context.NavigateAsync(job.TargetUrl, job.WaitUntil, context.StepTimeout(null), token);
            EndSpan(ref stepSpan, null);

            for (var index = 0; index < job.Actions.Count; index++)
            {
                var action = job.Actions[index];
                stepIndex = index;
                stepClock.Restart();
                stepSpan = AutomationSpans.StartStep(index, action.Action, action.Target, action.GetTargetBy,
                    action.Action == "goto" ? action.Url ?? action.Value : null);
                ActionHandlers.TryGet(action.Action, out var handler);
                var result = await handler!.ExecuteAsync(context, action, index, token);
                ArtifactLimits.Check(result.Artifacts, artifacts, _options);
                // A refresh or script may have sent the page somewhere the policy refuses since the last step.
                egress.ThrowIfNavigationBlocked();
                artifacts.AddRange(result.Artifacts);
                steps.Add(new StepOutcome(index, action.Action, "completed", stepClock.ElapsedMilliseconds));
                EndSpan(ref stepSpan, null);
            }

            stepIndex = null;
            egress.ThrowIfNavigationBlocked();
            var title = await page.TitleAsync().WaitAsync(token);
            await forensics.FinishAsync(lease.Context, failed: false, artifacts, cancellationToken);
            var outcome = Outcome(page.Url, title, context);
            logger.LogInformation(
                "Job {JobId} attempt {Attempt} on {Engine} completed in {DurationMs} ms ({Popups} popups closed)",
                job.JobId, job.Attempt, job.Engine, outcome.DurationMs, popups);
            return outcome;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        catch (Exception ex)
        {
            var browserGone = lease is { Browser.IsConnected: false } || context is { PageCrashed: true };
            (var errorType, var message) = JobErrors.Classify(ex, attempt.IsCancellationRequested, browserGone, job.TimeoutMs);
            EndSpan(ref stepSpan, errorType);
            if (stepIndex is int failedIndex)
            {
                steps.Add(new StepOutcome(failedIndex, job.Actions[failedIndex].Action, "failed", stepClock.ElapsedMilliseconds, message));
            }

            if (errorType == JobErrorTypes.Internal)
            {
                logger.LogError(ex, "Job {JobId} attempt {Attempt} failed unexpectedly at step {StepIndex}", job.JobId, job.Attempt, stepIndex);
            }

            if (!browserGone && context is not null && await TryFailureScreenshotAsync(context.Page, stepIndex, cancellationToken) is { } screenshot
                && ArtifactLimits.Fits(screenshot, artifacts, _options))
            {
                artifacts.Add(screenshot);
            }

            await forensics.FinishAsync(browserGone ? null : lease?.Context, failed: true, artifacts, cancellationToken);

            return Fail(errorType, message, stepIndex, context?.Page.Url, context);
        }
        finally
        {
            // The outcome is complete; closing the context (10-20 ms of the browser's CPU) must not delay reporting
            // it: it closes in the background, and after the outcome is recorded when the caller defers it.
            if (lease is not null)
            {
                LeaseRelease.Release(lease);
            }
            stepSpan?.Dispose();
        }

        JobExecutionOutcome Outcome(string? finalUrl, string? title, ActionContext? state) => new()
        {
            StartedAt = startedAt,
            FinishedAt = DateTime.UtcNow,
            DurationMs = clock.ElapsedMilliseconds,
            FinalUrl = finalUrl,
            Title = title,
            HttpStatus = state?.HttpStatus,
            Steps = steps,
            Extracted = state is null ? new Dictionary<string, System.Text.Json.JsonElement>() : new Dictionary<string, System.Text.Json.JsonElement>(state.Extracted),
            Artifacts = artifacts,
            BlockedRequests = egress.BlockedRequests,
            Console = forensics.Console,
            PageErrors = forensics.PageErrors,
        };

        JobExecutionOutcome Fail(string errorType, string message, int? failedStepIndex, string? finalUrl, ActionContext? state)
        {
            var outcome = Outcome(finalUrl, null, state) with
            {
                ErrorType = errorType,
                ErrorMessage = message,
                FailedStepIndex = failedStepIndex,
            };
            logger.LogWarning(
                "Job {JobId} attempt {Attempt} on {Engine} failed with {ErrorType} at step {StepIndex} after {DurationMs} ms: {ErrorMessage}",
                job.JobId, job.Attempt, job.Engine, errorType, failedStepIndex, outcome.DurationMs, message);
            return outcome;
        }
    }

    /// <summary>Ends a step's span with its outcome (before it is stopped, when exporters read it).</summary>
    private static void EndSpan(ref Activity? span, string? errorType)
    {
        AutomationSpans.SetOutcome(span, errorType);
        span?.Dispose();
        span = null;
    }

    /// <summary>Everything that can be checked without a browser, so a bad job costs nothing.</summary>
    private static (JobStepException Error, int? StepIndex)? Validate(JobRequested job, BrowserOptions options, UrlPolicy policy)
    {
        try
        {
            if (job.TimeoutMs <= 0)
            {
                throw JobStepException.Validation("timeoutMs must be positive.");
            }

            if (job.Viewport is { } viewport && (viewport.Width <= 0 || viewport.Height <= 0))
            {
                throw JobStepException.Validation("The viewport must have a positive width and height.");
            }

            Navigation.ValidateUrl(job.TargetUrl, policy);
            Navigation.ParseWaitUntil(job.WaitUntil);
            JobContextOptions.Validate(job.Options);
            AttemptForensics.Validate(job);
        }
        catch (JobStepException ex)
        {
            return (ex, null);
        }

        // The same step validation as the API's, against this worker's evaluate switch and URL policy.
        var steps = new StepValidationContext(job.TimeoutMs, options.EvaluateEnabled, url => policy.CheckUrl(url) is { Allowed: false } refused ? refused.Reason : null);
        for (var index = 0; index < job.Actions.Count; index++)
        {
            var at = index;
            StepValidator.Validate(job.Actions[index], index, field => field is null ? $"actions[{at}]" : $"actions[{at}].{field}", steps);
            if (steps.Problems.All is [var invalid, ..])
            {
                return (new JobStepException(invalid.ErrorType, $"{invalid.Path}: {invalid.Message}"), index);
            }
        }

        if (EngineCapabilities.Check(job.Engine, job) is [var problem, ..])
        {
            return (JobStepException.Validation($"{problem.Path}: {problem.Message}"), problem.StepIndex);
        }

        return null;
    }

    private async Task ClosePopupAsync(IPage popup)
    {
        try
        {
            await popup.CloseAsync();
        }
        catch (PlaywrightException ex)
        {
            logger.LogDebug(ex, "Closing a popup failed");
        }
    }

    private async Task<ProducedArtifact?> TryFailureScreenshotAsync(IPage page, int? stepIndex, CancellationToken cancellationToken)
    {
        // Nothing committed yet means nothing to see, and Chromium does not answer a screenshot
        // while a navigation is still provisional: it would only burn the timeout.
        if (page.IsClosed || page.Url == "about:blank")
        {
            return null;
        }

        try
        {
            var png = await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png, Timeout = FailureScreenshotTimeoutMs })
                .WaitAsync(TimeSpan.FromMilliseconds(FailureScreenshotTimeoutMs + 1_000), cancellationToken);
            return new ProducedArtifact("failure-screenshot", "failure.png", "image/png", png, stepIndex);
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            logger.LogDebug(ex, "No failure screenshot");
            return null;
        }
    }
}
