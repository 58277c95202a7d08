using System.Text.Json;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence.Entities;

namespace BrowserAutomation.Persistence.Jobs;

/// <summary>Builds the <see cref="JobRequested"/> of a job's current attempt from its row.</summary>
public static class JobRequests
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static JobRequested ForCurrentAttempt(AutomationJob job)
    {
        var options = job.Options is null ? new StoredJobOptions() : JsonSerializer.Deserialize<StoredJobOptions>(job.Options, Json)!;
        return new JobRequested
        {
            JobId = job.Id,
            Attempt = job.Attempt,
            BrowserTypeId = job.BrowserTypeId,
            Engine = job.Engine,
            DeviceType = options.DeviceType,
            TargetUrl = job.TargetUrl,
            Actions = JsonSerializer.Deserialize<List<JobAction>>(job.Actions, Json) ?? [],
            WaitUntil = job.WaitUntil,
            TimeoutMs = job.TimeoutMs,
            Priority = job.Priority,
            Viewport = options.Viewport,
            UserAgent = options.UserAgent,
            Options = options.Context,
            NotAfter = JobDeadlines.NotAfter(job),
        };
    }
}
