using System.Text.Json;
using System.Text.Json.Serialization;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence.Jobs;

namespace BrowserAutomation.Persistence.Webhooks;

/// <summary>
/// The body of a delivery: <c>{type, timestamp, data}</c> with the job's status, a result summary or the error, and
/// links. Never the job's actions, options or extracted values (they may hold what the client typed into forms).
/// </summary>
public static class WebhookPayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Build(string eventType, AutomationJob job, DateTime at)
    {
        var result = job.Result is null ? null : JsonSerializer.Deserialize<JobResult>(job.Result, JobRequests.Json);
        var links = $"/api/v1/jobs/{job.Id}";
        return JsonSerializer.Serialize(new
        {
            type = eventType,
            timestamp = at,
            data = new
            {
                jobId = job.Id,
                status = job.Status,
                clientReference = job.ClientReference,
                actionType = job.ActionType,
                attempt = job.Attempt,
                retryCount = job.RetryCount,
                createdAt = job.CreatedAt,
                startedAt = job.StartedAt,
                completedAt = job.CompletedAt,
                result = result is null || job.Status == JobStatuses.Processing ? null : new
                {
                    durationMs = result.DurationMs,
                    finalUrl = result.FinalUrl,
                    httpStatus = result.HttpStatus,
                    title = result.Title,
                    failedStepIndex = result.FailedStepIndex,
                    artifacts = result.Artifacts.Select(a => new
                    {
                        artifactId = a.ArtifactId,
                        artifactType = a.ArtifactType,
                        fileName = a.FileName,
                        mimeType = a.MimeType,
                        sizeBytes = a.SizeBytes,
                        url = $"{links}/artifacts/{a.ArtifactId}",
                    }),
                },
                error = job.ErrorType is null || job.Status != JobStatuses.Failed ? null : new { type = job.ErrorType, message = job.ErrorMessage },
                links = new { job = links, logs = $"{links}/logs", webhooks = $"{links}/webhooks" },
            },
        }, Json);
    }
}
