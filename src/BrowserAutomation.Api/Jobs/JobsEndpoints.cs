using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using BrowserAutomation.Api.Artifacts;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using BrowserAutomation.Persistence.Messaging;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Jobs;

public static class JobsEndpoints
{
    public const int MaxPageSize = 100;

    private static readonly string[] NotAJob = ["Each item is a job object."];

    public static IEndpointRouteBuilder MapJobsEndpoints(this IEndpointRouteBuilder app)
    {
        // Policies combine with AND, so reading and submitting are two groups on one prefix, not a group policy plus an endpoint one.
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Jobs").RequireAuthorization(Policies.Read);
        var submit = app.MapGroup("/api/v1/jobs").WithTags("Jobs").RequireAuthorization(Policies.Submit);

        submit.MapPost("/", CreateJob)
            .WithName("CreateJob")
            .WithSummary("Submit a job; it is stored and queued in one transaction. An Idempotency-Key header makes retries safe.");
        submit.MapPost("/batch", CreateJobs)
            .WithName("CreateJobs")
            .WithSummary("Submit up to 1,000 jobs in one transaction, all or nothing: any bad item refuses the batch naming it (jobs[3].payload.url). "
                         + "Items whose idempotencyKey names an earlier job with the same body answer with that job, so resending a batch is safe. "
                         + "Each job counts against the key's rate limit; the active-job cap and the backlog bound must have room for all of them.");
        jobs.MapGet("/", ListJobs)
            .WithName("ListJobs")
            .WithSummary("The key's owner's jobs (an admin key's: every owner's), newest first, filtered by status, browser type and owner.");
        jobs.MapGet("/{jobId:guid}", GetJob)
            .WithName("GetJob")
            .WithSummary("A job's status and result.");
        submit.MapDelete("/{jobId:guid}", CancelJob)
            .WithName("CancelJob")
            .WithSummary("Cancel a pending or processing job (a running page is aborted); 409 if it already finished.");
        jobs.MapGet("/{jobId:guid}/logs", GetLogs)
            .WithName("GetJobLogs")
            .WithSummary("The job's execution log.");
        jobs.MapGet("/{jobId:guid}/artifacts/{artifact}", GetArtifact)
            .WithName("GetJobArtifact")
            .WithSummary("Download an artifact by id or by file name (screenshot.png).");

        return app;
    }

    public static async Task<Results<Accepted<JobAcceptedResponse>, Ok<JobAcceptedResponse>, ValidationProblem, ProblemHttpResult>> CreateJob(
        SubmitJob request, JobSubmission submission, IPublishEndpoint publishEndpoint, HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.Headers["Idempotency-Key"] is [{ } key])
        {
            request = request with { IdempotencyKey = key };
        }

        var result = await submission.SubmitAsync(request, publishEndpoint, http.User.GetCaller(), cancellationToken);
        switch (result)
        {
            case SubmissionResult.Accepted { Job: { CachedFromJobId: null } job, Created: true }:
                return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", JobAcceptedResponse.For(job, JobStatuses.Pending));
            case SubmissionResult.Accepted { Job: var job, Created: var created }:
                // A replay, or a result-cache answer: the job is already there (a cached one completed), so 200, not 202.
                http.Response.Headers.Location = $"/api/v1/jobs/{job.Id}";
                if (!created)
                {
                    http.Response.Headers["Idempotent-Replayed"] = "true";
                }

                return TypedResults.Ok(JobAcceptedResponse.For(job, job.Status));
            case SubmissionResult.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors, title: "The job request is invalid.");
            default:
                return SubmissionProblems.For(result, http) ?? throw new InvalidOperationException(result.GetType().Name);
        }
    }

    public static async Task<Results<Accepted<JobBatchResponse>, Ok<JobBatchResponse>, ValidationProblem, ProblemHttpResult>> CreateJobs(
        JobBatchRequest request, JobBatchSubmission batch, SharedRateLimiter limiter, IOptions<RateLimitOptions> rateLimits,
        IPublishEndpoint publishEndpoint, HttpContext http, CancellationToken cancellationToken)
    {
        var items = request.Jobs;
        if (items is null || items.Count is 0 or > JobBatchSubmission.MaxJobs)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["jobs"] = [$"jobs holds 1 to {JobBatchSubmission.MaxJobs} jobs (this request has {items?.Count ?? 0})."],
            }, title: "The batch is invalid.");
        }

        if (items.Select((item, i) => (item, i)).Where(x => x.item is null).Select(x => $"jobs[{x.i}]").ToList() is { Count: > 0 } missing)
        {
            return TypedResults.ValidationProblem(missing.ToDictionary(m => m, _ => NotAJob), title: "The batch is invalid.");
        }

        // The request itself was counted once by the rate limiter; the batch counts each of its jobs.
        var caller = http.User.GetCaller();
        if (items.Count > 1 && await CountJobsAsync(limiter, caller, rateLimits.Value, items.Count - 1, http) is { } limited)
        {
            return limited;
        }

        var outcome = await batch.SubmitAsync(items, caller, publishEndpoint, cancellationToken);
        if (outcome.Jobs is { } accepted)
        {
            var response = new JobBatchResponse(
                accepted.Select(a => new JobBatchItem(a.Job.Id, a.Job.CachedFromJobId is null && a.Created ? JobStatuses.Pending : a.Job.Status, a.Job.CreatedAt,
                    !a.Created)).ToList(),
                accepted.Count(a => a.Created), accepted.Count(a => !a.Created));
            return outcome.Status == StatusCodes.Status202Accepted ? TypedResults.Accepted((string?)null, response) : TypedResults.Ok(response);
        }

        return outcome.Refusal switch
        {
            SubmissionResult.Invalid invalid when outcome.Status == StatusCodes.Status400BadRequest =>
                TypedResults.ValidationProblem(invalid.Errors, title: "The batch is invalid; nothing was accepted."),
            SubmissionResult.Invalid invalid => TypedResults.Problem(statusCode: outcome.Status,
                title: outcome.Status == StatusCodes.Status409Conflict ? "Idempotency key reused" : "Jobs of the batch cannot run",
                detail: "Nothing of the batch was accepted; see errors.", extensions: new Dictionary<string, object?> { ["errors"] = invalid.Errors }),
            var refusal => SubmissionProblems.For(refusal!, http) ?? throw new InvalidOperationException(refusal?.GetType().Name),
        };
    }

    private static async Task<ProblemHttpResult?> CountJobsAsync(SharedRateLimiter limiter, Caller caller, RateLimitOptions defaults, int jobs, HttpContext http)
    {
        var (partition, max, window) = SecurityServiceCollectionExtensions.SubmissionWindow(caller, defaults);
        var decision = await limiter.AcquireAsync(partition, max, window, jobs);
        var seconds = Math.Max(1, (int)Math.Ceiling(decision.ResetAfter.TotalSeconds));
        if (decision.Allowed)
        {
            http.Response.Headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
            return null;
        }

        await limiter.GiveBackAsync(partition, window, decision.WindowStartedMs, jobs);
        IntakeMetrics.Rejected(IntakeMetrics.RateLimited, "batch", jobs + 1);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"This API key may submit {max} jobs per {window / 1000.0:0.###} s and the batch of {jobs + 1} does not fit in what is left; "
                    + $"try again in {seconds} s or send a smaller batch.");
    }

    public static async Task<Results<Ok<JobListResponse>, ValidationProblem>> ListJobs(
        AutomationDbContext db, ClaimsPrincipal user, string? status, int? browserTypeId, string? owner, int? page, int? limit,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var statuses = JobStates.AllStatuses;
        if (status is not null && !statuses.Contains(status))
        {
            errors["status"] = [$"status must be one of: {string.Join(", ", statuses)}."];
        }

        if (page is < 1)
        {
            errors["page"] = ["page starts at 1."];
        }

        if (limit is < 1)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The listing request is invalid.");
        }

        var size = Math.Min(limit ?? 20, MaxPageSize);
        var number = page ?? 1;
        var query = db.Jobs.AsNoTracking().VisibleTo(user.GetCaller());
        if (status is not null)
        {
            var state = JobStates.ToState(status);
            query = query.Where(j => j.CurrentState == state);
        }

        if (browserTypeId is { } typeId)
        {
            query = query.Where(j => j.BrowserTypeId == typeId);
        }

        // Narrows an admin's listing to one owner; for other keys it can only narrow their own owner's jobs further.
        if (owner is not null)
        {
            query = query.Where(j => j.Owner == owner);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Skip((number - 1) * size).Take(size)
            .Select(j => new JobSummary(j.Id, j.Owner, JobStates.ToStatus(j.CurrentState), j.ActionType, j.BrowserTypeId, j.TargetUrl, j.Priority,
                j.RetryCount, j.ErrorType, j.ClientReference, j.CreatedAt, j.StartedAt, j.CompletedAt))
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new JobListResponse(rows, number, size, total, (total + size - 1) / size));
    }

    public static async Task<Results<Ok<JobCancelResponse>, Conflict<JobCancelResponse>, ProblemHttpResult>> CancelJob(
        Guid jobId, JobCancellation cancellation, IPublishEndpoint publishEndpoint, ClaimsPrincipal user, ILogger<JobCancellation> logger,
        CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        using var logScope = logger.BeginJobScope(jobId);
        var (outcome, job) = await cancellation.CancelAsync(jobId, caller.SeesAllOwners ? null : caller.Owner, publishEndpoint, cancellationToken);
        logger.LogInformation("Job {JobId} cancellation by {Owner}: {Outcome}", jobId, caller.Owner, outcome);
        return outcome switch
        {
            CancelOutcome.Cancelled => TypedResults.Ok(new JobCancelResponse(jobId, JobStatuses.Cancelled, null, job!.CompletedAt)),
            CancelOutcome.AlreadyFinished => TypedResults.Conflict(new JobCancelResponse(jobId, job!.Status, null, job.CompletedAt)),
            _ => JobProblems.NotFound(jobId),
        };
    }

    public static async Task<Results<Ok<JobLogListResponse>, ProblemHttpResult>> GetLogs(Guid jobId, AutomationDbContext db, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!await db.Jobs.VisibleTo(user.GetCaller()).AnyAsync(j => j.Id == jobId, cancellationToken))
        {
            return JobProblems.NotFound(jobId);
        }

        var logs = await db.JobLogs.AsNoTracking().Where(l => l.JobId == jobId).OrderBy(l => l.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new JobLogListResponse(logs.Select(l => new JobLogResponse(l.Id, l.Level, l.Message,
            l.Metadata is null ? null : JsonDocument.Parse(l.Metadata).RootElement, l.CreatedAt)).ToList()));
    }

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetJob(Guid jobId, AutomationDbContext db, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var job = await db.Jobs.VisibleTo(user.GetCaller()).SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null)
        {
            return JobProblems.NotFound(jobId);
        }

        return TypedResults.Ok(JobViews.ToResponse(job) with { QueuePosition = await Workers.QueuePosition.OfAsync(db, job, cancellationToken) });
    }

    public static async Task<Results<FileStreamHttpResult, RedirectHttpResult, ProblemHttpResult>> GetArtifact(
        Guid jobId, string artifact, AutomationDbContext db, ArtifactDownloads downloads, HttpContext http, CancellationToken cancellationToken)
    {
        // Another owner's job has no artifacts, exactly like a job that does not exist.
        // A cached job shows the artifacts of the job it was answered from (always the same owner's).
        var visible = db.Jobs.VisibleTo(http.User.GetCaller()).Where(j => j.Id == jobId).Select(j => j.CachedFromJobId ?? j.Id);
        var query = db.Artifacts.Where(a => visible.Contains(a.JobId));
        query = Guid.TryParse(artifact, out var artifactId)
            ? query.Where(a => a.Id == artifactId)
            : query.Where(a => a.FileName == artifact);

        var found = await ArtifactDownloads.FindAsync(query, cancellationToken);
        if (found is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Artifact not found",
                detail: $"Job {jobId} has no artifact '{artifact}'.");
        }

        return await downloads.ServeAsync(found, http, cancellationToken);
    }
}
