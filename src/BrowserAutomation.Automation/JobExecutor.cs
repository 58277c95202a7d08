using System.Diagnostics;
using BrowserAutomation.Automation.Actions;
using BrowserAutomation.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation;

/// <summary>
/// Runs one attempt: a fresh context on the pooled browser, the first navigation, then each action in
/// order, all within the job's time budget. Job failures come back as a failed outcome; only the
/// caller's cancellation throws.
/// </summary>
public sealed class JobExecutor(BrowserPool pool, ILogger<JobExecutor> logger) : IJobExecutor
{
    private const int FailureScreenshotTimeoutMs = 1_500;

    public async Task<JobExecutionOutcome> ExecuteAsync(JobRequested job, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        DateTime startedAt = DateTime.UtcNow;
        Stopwatch clock = Stopwatch.StartNew();
        var steps = new List<StepOutcome>(job.Actions.Count);
        var artifacts = new List<ProducedArtifact>();
        int? httpStatus = null;

        if (Validate(job) is { } invalid)
        {
            if (invalid.StepIndex is int invalidIndex)
            {
                steps.Add(new StepOutcome(invalidIndex, job.Actions[invalidIndex].Action ?? string.Empty, "failed", 0, invalid.Error.Message));
            }

            return Fail(invalid.Error.ErrorType, invalid.Error.Message, invalid.StepIndex, null);
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(job.TimeoutMs);
        CancellationToken token = attempt.Token;

        BrowserLease? lease = null;
        ActionContext? context = null;
        int? stepIndex = null;
        Stopwatch stepClock = new();
        try
        {
            lease = await pool.AcquireContextAsync(job.Engine, ContextOptions(job), token);
            IPage page = await lease.Context.NewPageAsync().WaitAsync(token);
            page.SetDefaultTimeout(job.TimeoutMs);
            page.SetDefaultNavigationTimeout(job.TimeoutMs);
            context = new ActionContext(page, job, clock);

            IResponse? response = await context.NavigateAsync(job.TargetUrl, job.WaitUntil, context.StepTimeout(null), token);
            httpStatus = response?.Status;

            for (int index = 0; index < job.Actions.Count; index++)
            {
                JobAction action = job.Actions[index];
                stepIndex = index;
                stepClock.Restart();
                ActionHandlers.TryGet(action.Action, out IActionHandler? handler);
                ActionResult result = await handler!.ExecuteAsync(context, action, index, token);
                artifacts.AddRange(result.Artifacts);
                steps.Add(new StepOutcome(index, action.Action, "completed", stepClock.ElapsedMilliseconds));
            }

            stepIndex = null;
            string title = await page.TitleAsync().WaitAsync(token);
            JobExecutionOutcome outcome = Outcome(page.Url, title);
            logger.LogInformation(
                "Job {JobId} attempt {Attempt} on {Engine} completed in {DurationMs} ms", job.JobId, job.Attempt, job.Engine, outcome.DurationMs);
            return outcome;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        catch (Exception ex)
        {
            bool browserGone = lease is { Browser.IsConnected: false } || context is { PageCrashed: true };
            (string errorType, string message) = JobErrors.Classify(ex, attempt.IsCancellationRequested, browserGone, job.TimeoutMs);
            if (stepIndex is int failedIndex)
            {
                steps.Add(new StepOutcome(failedIndex, job.Actions[failedIndex].Action, "failed", stepClock.ElapsedMilliseconds, message));
            }

            if (errorType == JobErrorTypes.Internal)
            {
                logger.LogError(ex, "Job {JobId} attempt {Attempt} failed unexpectedly at step {StepIndex}", job.JobId, job.Attempt, stepIndex);
            }

            if (!browserGone && context is not null && await TryFailureScreenshotAsync(context.Page, stepIndex, cancellationToken) is { } screenshot)
            {
                artifacts.Add(screenshot);
            }

            return Fail(errorType, message, stepIndex, context?.Page.Url);
        }
        finally
        {
            // The outcome is complete; closing the context (10-20 ms) must not delay reporting it.
            lease?.ReleaseInBackground();
        }

        JobExecutionOutcome Outcome(string? finalUrl, string? title) => new()
        {
            StartedAt = startedAt,
            FinishedAt = DateTime.UtcNow,
            DurationMs = clock.ElapsedMilliseconds,
            FinalUrl = finalUrl,
            Title = title,
            HttpStatus = httpStatus,
            Steps = steps,
            Artifacts = artifacts,
        };

        JobExecutionOutcome Fail(string errorType, string message, int? failedStepIndex, string? finalUrl)
        {
            JobExecutionOutcome outcome = Outcome(finalUrl, null) with
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

    /// <summary>Everything that can be checked without a browser, so a bad job costs nothing.</summary>
    private static (JobStepException Error, int? StepIndex)? Validate(JobRequested job)
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

            Navigation.ValidateUrl(job.TargetUrl);
            Navigation.ParseWaitUntil(job.WaitUntil);
        }
        catch (JobStepException ex)
        {
            return (ex, null);
        }

        for (int index = 0; index < job.Actions.Count; index++)
        {
            JobAction action = job.Actions[index];
            try
            {
                if (!ActionHandlers.TryGet(action.Action, out IActionHandler? handler))
                {
                    throw JobStepException.Validation(
                        $"Unknown action '{JobErrors.Shorten(action.Action ?? string.Empty)}'; supported: {string.Join(", ", ActionHandlers.Names)}.");
                }

                handler.Validate(action);
            }
            catch (JobStepException ex)
            {
                return (ex, index);
            }
        }

        return null;
    }

    private static BrowserNewContextOptions ContextOptions(JobRequested job) => new()
    {
        ViewportSize = job.Viewport is { } viewport ? new ViewportSize { Width = viewport.Width, Height = viewport.Height } : null,
        UserAgent = string.IsNullOrWhiteSpace(job.UserAgent) ? null : job.UserAgent,
        IgnoreHTTPSErrors = false,
    };

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
            byte[] png = await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png, Timeout = FailureScreenshotTimeoutMs })
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
