using System.Text.Json;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Messaging;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Jobs;

public static class JobsEndpoints
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapJobsEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Jobs");

        jobs.MapPost("/", CreateJob)
            .WithName("CreateJob")
            .WithSummary("Submit a job; it is stored and queued in one transaction.");
        jobs.MapGet("/{jobId:guid}", GetJob)
            .WithName("GetJob")
            .WithSummary("A job's status and result.");
        jobs.MapGet("/{jobId:guid}/artifacts/{artifact}", GetArtifact)
            .WithName("GetJobArtifact")
            .WithSummary("Download an artifact by id or by file name (screenshot.png).");

        return app;
    }

    public static async Task<Results<Accepted<JobAcceptedResponse>, ValidationProblem>> CreateJob(
        CreateJobRequest request, AutomationDbContext db, IPublishEndpoint publishEndpoint, CancellationToken cancellationToken)
    {
        var (spec, errors) = JobRequestValidator.Validate(request);
        if (spec is null)
            return TypedResults.ValidationProblem(errors, title: "The job request is invalid.");

        var browserType = await db.BrowserTypes.SingleOrDefaultAsync(b => b.Id == spec.BrowserTypeId, cancellationToken);
        if (browserType is null || !browserType.IsActive)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["browserTypeId"] = [$"Browser type {spec.BrowserTypeId} does not exist or is inactive (see GET /api/v1/browsers)."] },
                title: "The job request is invalid.");
        }

        var viewport = spec.Viewport ?? (browserType is { ViewportWidth: { } w, ViewportHeight: { } h } ? new Viewport(w, h) : null);
        var job = new AutomationJob
        {
            Id = NewId.NextSequentialGuid(),
            BrowserTypeId = browserType.Id,
            ActionType = spec.ActionType,
            TargetUrl = spec.TargetUrl,
            Actions = JsonSerializer.Serialize(spec.Actions, Json),
            Options = JsonSerializer.Serialize(new { viewport }, Json),
            WaitUntil = spec.WaitUntil,
            Priority = spec.Priority,
            TimeoutMs = spec.TimeoutMs,
            CurrentState = "Pending",
            Attempt = 1,
            CreatedAt = DateTime.UtcNow,
        };
        db.Jobs.Add(job);
        db.JobLogs.Add(new JobLog { JobId = job.Id, Level = "info", Message = "Job accepted", CreatedAt = job.CreatedAt });

        // The publish becomes an outbox row; SaveChanges commits it with the job row, or neither.
        await publishEndpoint.PublishJobRequested(new JobRequested
        {
            JobId = job.Id,
            Attempt = job.Attempt,
            BrowserTypeId = browserType.Id,
            Engine = browserType.Type,
            DeviceType = browserType.DeviceType,
            TargetUrl = job.TargetUrl,
            Actions = spec.Actions,
            WaitUntil = job.WaitUntil,
            TimeoutMs = job.TimeoutMs,
            Priority = job.Priority,
            Viewport = viewport,
            UserAgent = browserType.UserAgent,
        }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", new JobAcceptedResponse(job.Id, JobStatuses.Pending, job.CreatedAt));
    }

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetJob(Guid jobId, AutomationDbContext db, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null)
            return JobNotFound(jobId);

        return TypedResults.Ok(ToResponse(job));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetArtifact(
        Guid jobId, string artifact, AutomationDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        var query = db.Artifacts.Where(a => a.JobId == jobId);
        query = Guid.TryParse(artifact, out var artifactId)
            ? query.Where(a => a.Id == artifactId)
            : query.Where(a => a.FileName == artifact);

        var found = await query.OrderBy(a => a.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (found?.FileData is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Artifact not found",
                detail: $"Job {jobId} has no artifact '{artifact}'.");

        http.Response.Headers.ContentDisposition = $"inline; filename=\"{found.FileName}\"";
        return TypedResults.File(found.FileData, found.MimeType);
    }

    internal static ProblemHttpResult JobNotFound(Guid jobId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Job not found", detail: $"No job with id {jobId}.");

    internal static JobResponse ToResponse(AutomationJob job)
    {
        var status = job.CurrentState.ToLowerInvariant();
        var result = job.Result is null ? null : JsonSerializer.Deserialize<JobResult>(job.Result, Json);

        return new JobResponse
        {
            Id = job.Id,
            Status = status,
            ActionType = job.ActionType,
            BrowserTypeId = job.BrowserTypeId,
            TargetUrl = job.TargetUrl,
            Priority = job.Priority,
            RetryCount = job.RetryCount,
            MaxRetries = job.MaxRetries,
            TimeoutMs = job.TimeoutMs,
            Result = result is null ? null : ToResultResponse(job.Id, result),
            Error = job.ErrorType is null && job.ErrorMessage is null ? null : new JobErrorResponse(job.ErrorType, job.ErrorMessage, result?.FailedStepIndex),
            CreatedAt = job.CreatedAt,
            StartedAt = job.StartedAt,
            CompletedAt = job.CompletedAt,
        };
    }

    static JobResultResponse ToResultResponse(Guid jobId, JobResult result)
    {
        var artifacts = result.Artifacts
            .Select(a => new ArtifactResponse(a.ArtifactId, a.ArtifactType, a.FileName, a.MimeType, a.SizeBytes,
                $"/api/v1/jobs/{jobId}/artifacts/{a.ArtifactId}", a.StepIndex))
            .ToList();

        return new JobResultResponse
        {
            ScreenshotUrl = artifacts.FirstOrDefault(a => a.ArtifactType == "screenshot")?.Url,
            PdfUrl = artifacts.FirstOrDefault(a => a.ArtifactType == "pdf")?.Url,
            Duration = result.DurationMs,
            FinalUrl = result.FinalUrl,
            HttpStatus = result.HttpStatus,
            Title = result.Title,
            Steps = result.Steps,
            Extracted = result.Extracted,
            Artifacts = artifacts,
        };
    }
}
