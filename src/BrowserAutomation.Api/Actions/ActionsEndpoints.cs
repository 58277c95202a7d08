using System.Globalization;
using BrowserAutomation.Api.Artifacts;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Api.Status;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace BrowserAutomation.Api.Actions;

/// <summary>
/// The action endpoints: each body becomes a job in the single-action form (actionType + payload), submitted exactly as
/// POST /api/v1/jobs does. With ?wait=30s the request waits (at most 120 s) for the job to finish and answers with
/// its result, or for screenshot/pdf with the file itself when the Accept header asks for it; otherwise 202 + Location.
/// </summary>
public static class ActionsEndpoints
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(120);

    private const string WaitDescription =
        "Optional query ?wait=30s (or wait=30000 in milliseconds, at most 120 s): wait for the job to finish. Finished in time: "
        + "200 with the job (result included), or the job's execution error (JobExecutionError) with a matching status (504 timeout, "
        + "502 navigation_failed, 422 selector_not_found, 503 browser_crashed ...). Not finished in time, or no wait: 202 with Location.";

    private static string FileDescription(string types) =>
        $" With a wait, Accept: {types} returns the file itself (200, with X-Job-Id and Content-Location naming the job).";

    public static IEndpointRouteBuilder MapActionsEndpoints(this IEndpointRouteBuilder app)
    {
        var actions = app.MapGroup("/api/v1/actions").WithTags("Actions").RequireAuthorization(Policies.Submit);

        actions.MapPost("/visit", Visit).WithName("VisitAction").WithSummary("Navigate to a URL.")
            .WithDescription(WaitDescription).ProducesActionResults();
        actions.MapPost("/screenshot", Screenshot).WithName("ScreenshotAction").WithSummary("Take a screenshot.")
            .WithDescription(WaitDescription + FileDescription("image/png or image/jpeg"))
            .ProducesActionResults("image/png", "image/jpeg");
        actions.MapPost("/form-fill", FormFill).WithName("FormFillAction").WithSummary("Fill a form and optionally submit it.")
            .WithDescription(WaitDescription).ProducesActionResults();
        actions.MapPost("/extract", Extract).WithName("ExtractAction").WithSummary("Extract data from a page.")
            .WithDescription(WaitDescription).ProducesActionResults();
        actions.MapPost("/pdf", Pdf).WithName("PdfAction").WithSummary("Generate a PDF of a page.")
            .WithDescription(WaitDescription + FileDescription("application/pdf"))
            .ProducesActionResults("application/pdf");

        return app;
    }

    public static Task<Results<Ok<JobResponse>, FileStreamHttpResult, Accepted<JobAcceptedResponse>, JsonHttpResult<JobExecutionError>, ValidationProblem, ProblemHttpResult>> Visit(
        VisitActionRequest request, [FromQuery] string? wait, [AsParameters] ActionServices services) =>
        RunAsync(request.ToSubmitJob(), null, wait, services);

    public static Task<Results<Ok<JobResponse>, FileStreamHttpResult, Accepted<JobAcceptedResponse>, JsonHttpResult<JobExecutionError>, ValidationProblem, ProblemHttpResult>> Screenshot(
        ScreenshotActionRequest request, [FromQuery] string? wait, [AsParameters] ActionServices services) =>
        RunAsync(request.ToSubmitJob(), "screenshot", wait, services);

    public static Task<Results<Ok<JobResponse>, FileStreamHttpResult, Accepted<JobAcceptedResponse>, JsonHttpResult<JobExecutionError>, ValidationProblem, ProblemHttpResult>> FormFill(
        FormFillActionRequest request, [FromQuery] string? wait, [AsParameters] ActionServices services) =>
        RunAsync(request.ToSubmitJob(), null, wait, services);

    public static Task<Results<Ok<JobResponse>, FileStreamHttpResult, Accepted<JobAcceptedResponse>, JsonHttpResult<JobExecutionError>, ValidationProblem, ProblemHttpResult>> Extract(
        ExtractActionRequest request, [FromQuery] string? wait, [AsParameters] ActionServices services) =>
        RunAsync(request.ToSubmitJob(), null, wait, services);

    public static Task<Results<Ok<JobResponse>, FileStreamHttpResult, Accepted<JobAcceptedResponse>, JsonHttpResult<JobExecutionError>, ValidationProblem, ProblemHttpResult>> Pdf(
        PdfActionRequest request, [FromQuery] string? wait, [AsParameters] ActionServices services) =>
        RunAsync(request.ToSubmitJob(), "pdf", wait, services);

    private static async Task<Results<Ok<JobResponse>, FileStreamHttpResult, Accepted<JobAcceptedResponse>, JsonHttpResult<JobExecutionError>, ValidationProblem, ProblemHttpResult>> RunAsync(
        SubmitJob job, string? fileArtifactType, string? wait, ActionServices services)
    {
        var (http, cancellationToken) = (services.Http, services.Http.RequestAborted);
        if (!TryParseWait(wait, out var waitFor))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["wait"] = ["wait is a duration such as 30s, 1500ms or 30000 (milliseconds), at most 120 s."],
            }, title: "The request is invalid.");
        }

        if (http.Request.Headers["Idempotency-Key"] is [{ } key])
        {
            job = job with { IdempotencyKey = key };
        }

        // Subscribe before submitting: the job may finish before the submission returns.
        using var subscription = waitFor > TimeSpan.Zero ? services.Hub.Subscribe(null) : null;
        var result = await services.Submission.SubmitAsync(job, services.Publish, http.User.GetCaller(), cancellationToken);

        AutomationJob accepted;
        switch (result)
        {
            case SubmissionResult.Accepted { Job: var submitted }:
                accepted = submitted;
                break;
            case SubmissionResult.Invalid invalid:
                return TypedResults.ValidationProblem(Rekey(invalid.Errors), title: "The request is invalid.");
            default:
                return SubmissionProblems.For(result, http) ?? throw new InvalidOperationException(result.GetType().Name);
        }

        var current = subscription is null ? accepted : await WaitForFinalAsync(accepted.Id, subscription, waitFor, services.Db, cancellationToken);
        var status = current.Status;
        if (!JobStates.IsFinalStatus(status))
        {
            return TypedResults.Accepted($"/api/v1/jobs/{current.Id}", new JobAcceptedResponse(current.Id, status, current.CreatedAt));
        }

        if (status != JobStatuses.Completed)
        {
            var error = JobViews.Error(current)
                        ?? new JobExecutionError(status == JobStatuses.Cancelled ? StatusCodes.Status409Conflict : StatusCodes.Status500InternalServerError,
                            "JobExecutionError", $"Job {current.Id} was {status}.", new JobErrorDetails(current.Id, status, current.RetryCount, false));
            return TypedResults.Json(error, statusCode: error.StatusCode);
        }

        var response = JobViews.ToResponse(current);
        if (fileArtifactType is not null
            && response.Result?.Artifacts.FirstOrDefault(a => a.ArtifactType == fileArtifactType) is { } artifact
            && Accepts(http, artifact.MimeType))
        {
            var file = await http.RequestServices.GetRequiredService<ArtifactDownloads>().OpenAsync(services.Db, artifact.Id, cancellationToken);
            if (file is not null)
            {
                http.Response.Headers["X-Job-Id"] = current.Id.ToString();
                http.Response.Headers.ContentLocation = $"/api/v1/jobs/{current.Id}";
                http.Response.Headers.ContentDisposition = $"inline; filename=\"{artifact.FileName}\"";
                return file;
            }
        }

        http.Response.Headers.ContentLocation = $"/api/v1/jobs/{current.Id}";
        return TypedResults.Ok(response);
    }

    /// <summary>Waits for the job's final status event, then reads the row (which also covers an event that was missed).</summary>
    private static async Task<AutomationJob> WaitForFinalAsync(Guid jobId, JobStatusHub.Subscription subscription, TimeSpan waitFor, AutomationDbContext db,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(waitFor);
        try
        {
            // An idempotent replay may name a job that finished long ago.
            if (!await IsFinalAsync(jobId, db, deadline.Token))
            {
                await foreach (var change in subscription.Reader.ReadAllAsync(deadline.Token))
                {
                    if (change.JobId == jobId && JobStates.IsFinalStatus(change.Status))
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The wait is over; the row says where the job stands.
        }

        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
    }

    private static async Task<bool> IsFinalAsync(Guid jobId, AutomationDbContext db, CancellationToken cancellationToken)
    {
        var state = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.CurrentState).SingleAsync(cancellationToken);
        return !JobStates.IsActive(state);
    }

    /// <summary>?wait: "30s", "1500ms" or "30000" (milliseconds); capped at <see cref="MaxWait"/>; absent means no wait.</summary>
    public static bool TryParseWait(string? value, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        var text = value.Trim().ToLowerInvariant();
        var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || double.IsInfinity(amount))
        {
            return false;
        }

        wait = TimeSpan.FromMilliseconds(Math.Min(amount * scale, MaxWait.TotalMilliseconds));
        return true;
    }

    /// <summary>Whether the client's Accept names this media type (exactly or as type/*; */* alone keeps the JSON answer).</summary>
    private static bool Accepts(HttpContext http, string mediaType)
    {
        foreach (var accepted in http.Request.GetTypedHeaders().Accept)
        {
            if (accepted.Quality <= 0 || accepted.MediaType.Value is not { } value)
            {
                continue;
            }

            if (value.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
                || (accepted.SubTypeWithoutSuffix == "*" && accepted.Type != "*" && mediaType.StartsWith(accepted.Type.Value + "/", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Error paths of the body these endpoints take: the payload's fields sit at the top level.</summary>
    private static Dictionary<string, string[]> Rekey(Dictionary<string, string[]> errors) =>
        errors
            .GroupBy(e => e.Key switch
            {
                "actionType" => "browserTypeId",
                var key when key.StartsWith("payload.", StringComparison.Ordinal) => key["payload.".Length..],
                var key => key,
            })
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).Distinct().ToArray());

    private static RouteHandlerBuilder ProducesActionResults(this RouteHandlerBuilder builder, params string[] fileTypes)
    {
        // 200 (job), 202 and 400 come from the typed results; these are the rest.
        builder
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        foreach (var status in new[] { 403, 413, 422, 500, 502, 503, 504 })
        {
            builder.Produces<JobExecutionError>(status);
        }

        if (fileTypes.Length > 0)
        {
            builder.Produces<FileContentResult>(StatusCodes.Status200OK, fileTypes[0], fileTypes[1..]);
        }

        return builder;
    }
}

/// <summary>The services an action endpoint uses.</summary>
public readonly record struct ActionServices(JobSubmission Submission, IPublishEndpoint Publish, JobStatusHub Hub, AutomationDbContext Db, HttpContext Http);
