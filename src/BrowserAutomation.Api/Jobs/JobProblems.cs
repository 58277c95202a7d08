using Microsoft.AspNetCore.Http.HttpResults;

namespace BrowserAutomation.Api.Jobs;

/// <summary>Problem responses about a job that every job-related endpoint gives alike.</summary>
public static class JobProblems
{
    /// <summary>404 for an unknown job, and for another owner's: the two are indistinguishable by design.</summary>
    public static ProblemHttpResult NotFound(Guid jobId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Job not found", detail: $"No job with id {jobId}.");
}
