using Microsoft.AspNetCore.Http.HttpResults;

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
}
