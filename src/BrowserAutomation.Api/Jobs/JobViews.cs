using System.Text.Json;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;
using BrowserAutomation.Persistence.Jobs;

namespace BrowserAutomation.Api.Jobs;

/// <summary>How jobs are shown to clients: secrets never leave the service.</summary>
public static class JobViews
{
    public const string Redacted = "[redacted]";

    /// <summary>Form values (fill/type/select), cookie values, credentials and header values are never listed.</summary>
    public static IReadOnlyList<JobAction> RedactActions(string actionsJson) =>
        (JsonSerializer.Deserialize<List<JobAction>>(actionsJson, JobRequests.Json) ?? [])
        .Select(a => ActionCatalog.WithSecretValues.Contains(a.Action)
            ? a with { Value = a.Value is null ? null : Redacted, Values = a.Values?.Select(_ => Redacted).ToList() }
            : a)
        .ToList();

    public static StoredJobOptions? RedactOptions(string? optionsJson)
    {
        if (optionsJson is null)
        {
            return null;
        }

        var options = JsonSerializer.Deserialize<StoredJobOptions>(optionsJson, JobRequests.Json)!;
        if (options.Context is not { } context)
        {
            return options;
        }

        return options with
        {
            Context = context with
            {
                Cookies = context.Cookies?.Select(c => c with { Value = Redacted }).ToList(),
                HttpCredentials = context.HttpCredentials is { } credentials ? credentials with { Password = Redacted } : null,
                ExtraHttpHeaders = context.ExtraHttpHeaders?.ToDictionary(h => h.Key, _ => Redacted),
            },
        };
    }

    /// <summary>The job-execution error body (JobExecutionError).</summary>
    public static JobExecutionError? Error(AutomationJob job)
    {
        if (job.ErrorType is null)
        {
            return null;
        }

        var final = JobStates.IsFinalStatus(job.Status);
        return new JobExecutionError(
            StatusFor(job.ErrorType),
            "JobExecutionError",
            job.ErrorMessage ?? job.ErrorType,
            new JobErrorDetails(job.Id, job.ErrorType, job.RetryCount, !final && JobErrorTypes.IsTransient(job.ErrorType) && job.RetryCount <= job.MaxRetries));
    }

    /// <summary>The HTTP status that best describes an execution error (used when a client waits for the result).</summary>
    public static int StatusFor(string errorType) => errorType switch
    {
        JobErrorTypes.Timeout => StatusCodes.Status504GatewayTimeout,
        JobErrorTypes.NavigationFailed => StatusCodes.Status502BadGateway,
        JobErrorTypes.BrowserCrashed => StatusCodes.Status503ServiceUnavailable,
        JobErrorTypes.SelectorNotFound or JobErrorTypes.ValidationError or JobErrorTypes.AssertionFailed => StatusCodes.Status422UnprocessableEntity,
        JobErrorTypes.UrlBlocked => StatusCodes.Status403Forbidden,
        JobErrorTypes.ArtifactTooLarge => StatusCodes.Status413PayloadTooLarge,
        JobErrorTypes.DeadlineExpired => StatusCodes.Status410Gone,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>A job as GET /api/v1/jobs/{id} shows it.</summary>
    public static JobResponse ToResponse(AutomationJob job)
    {
        var result = job.Result is null ? null : JsonSerializer.Deserialize<JobResult>(job.Result, JobRequests.Json);

        return new JobResponse
        {
            Id = job.Id,
            Owner = job.Owner,
            Status = job.Status,
            ActionType = job.ActionType,
            BrowserTypeId = job.BrowserTypeId,
            TargetUrl = job.TargetUrl,
            Priority = job.Priority,
            RetryCount = job.RetryCount,
            MaxRetries = job.MaxRetries,
            TimeoutMs = job.TimeoutMs,
            Attempt = job.Attempt,
            ClientReference = job.ClientReference,
            WaitUntil = job.WaitUntil,
            Actions = RedactActions(job.Actions),
            Options = RedactOptions(job.Options),
            Result = result is null ? null : ToResultResponse(job.Id, result),
            Error = Error(job),
            CreatedAt = job.CreatedAt,
            StartedAt = job.StartedAt,
            CompletedAt = job.CompletedAt,
            TraceId = job.TraceId,
            Cached = job.CachedFromJobId is not null,
            CachedFrom = job.CachedFromJobId,
            StartBy = job.StartBy,
            ExpiresAt = job.ExpiresAt,
        };
    }

    private static JobResultResponse ToResultResponse(Guid jobId, JobResult result)
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
            BlockedRequests = result.BlockedRequests,
            Console = result.Console,
            PageErrors = result.PageErrors,
        };
    }
}

/// <summary>The job-execution error format (JobExecutionError).</summary>
public sealed record JobExecutionError(int StatusCode, string Error, string Message, JobErrorDetails Details);

/// <summary>Details of a job execution error.</summary>
public sealed record JobErrorDetails(Guid JobId, string ErrorType, int RetryCount, bool CanRetry);
