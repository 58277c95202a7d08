using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Jobs;

/// <summary>The problem answers for submissions that were refused, shared by POST /api/v1/jobs and the action endpoints.</summary>
public static class SubmissionProblems
{
    public static ProblemHttpResult KeyConflict(SubmissionResult.KeyConflict conflict) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency key reused",
            detail: $"This Idempotency-Key was already used for job {conflict.ExistingJobId} with a different request body.");

    public static ProblemHttpResult NoLiveWorker(SubmissionResult.NoLiveWorker noWorker) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No worker serves this engine",
            detail: noWorker.Message,
            extensions: new Dictionary<string, object?> { ["engine"] = noWorker.Engine, ["browserTypeId"] = noWorker.BrowserTypeId });

    public static ProblemHttpResult BrowserTypeInactive(SubmissionResult.BrowserTypeInactive inactive) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Browser type deactivated",
            detail: inactive.Message,
            extensions: new Dictionary<string, object?> { ["browserTypeId"] = inactive.BrowserTypeId, ["browserTypeName"] = inactive.BrowserTypeName });

    /// <summary>429 with Retry-After: the owner is at its cap of pending + processing jobs.</summary>
    public static ProblemHttpResult TooManyActiveJobs(SubmissionResult.TooManyActiveJobs tooMany, HttpContext http)
    {
        RetryAfter(http);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many active jobs",
            detail: tooMany.Message, extensions: new Dictionary<string, object?> { ["maxConcurrentJobs"] = tooMany.Limit });
    }

    /// <summary>503 with Retry-After: the engine's backlog is at its bound.</summary>
    public static ProblemHttpResult QueueFull(SubmissionResult.QueueFull full, HttpContext http)
    {
        RetryAfter(http);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The engine's queue is full",
            detail: full.Message, extensions: new Dictionary<string, object?> { ["engine"] = full.Engine, ["queueMaxDepth"] = full.Limit });
    }

    /// <summary>The answer for any refusal shared by the submitting endpoints; null for results that are not refusals.</summary>
    public static ProblemHttpResult? For(SubmissionResult result, HttpContext http) => result switch
    {
        SubmissionResult.KeyConflict conflict => KeyConflict(conflict),
        SubmissionResult.NoLiveWorker noWorker => NoLiveWorker(noWorker),
        SubmissionResult.BrowserTypeInactive inactive => BrowserTypeInactive(inactive),
        SubmissionResult.TooManyActiveJobs tooMany => TooManyActiveJobs(tooMany, http),
        SubmissionResult.QueueFull full => QueueFull(full, http),
        _ => null,
    };

    private static void RetryAfter(HttpContext http) =>
        http.Response.Headers.RetryAfter = http.RequestServices.GetRequiredService<IOptions<SubmissionLimitsOptions>>().Value.RetryAfterSeconds
            .ToString(CultureInfo.InvariantCulture);
}
