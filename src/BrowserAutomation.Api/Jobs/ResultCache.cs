using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Jobs;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// The result cache (<c>cache: {maxAgeSeconds}</c> on a submission): a job whose owner already ran the same normalised
/// job, completed within that age, is created completed, sharing the earlier job's result and artifacts, with no
/// message to a worker. Every job stores its key (<see cref="AutomationJob.ResultKey"/>), so any earlier run can answer.
/// </summary>
public sealed class ResultCache(AutomationDbContext db, ILogger<ResultCache> logger)
{
    public const int MaxAgeLimitSeconds = 86_400;

    private static readonly Counter<long> Hits = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.result_cache.hits", "{submission}", "Submissions answered from the result cache (no browser work).");

    private static readonly Counter<long> Misses = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.result_cache.misses", "{submission}", "Submissions that asked for the result cache and found no fresh result.");

    /// <summary>cache.maxAgeSeconds is required when cache is given, 1 to 86400.</summary>
    public static void Validate(JobCacheOptions? cache, Dictionary<string, string[]> errors)
    {
        if (cache is not null && cache.MaxAgeSeconds is not (>= 1 and <= MaxAgeLimitSeconds))
        {
            errors["cache.maxAgeSeconds"] = [$"cache.maxAgeSeconds must be between 1 and {MaxAgeLimitSeconds} (seconds)."];
        }
    }

    /// <summary>
    /// SHA-256 over the owner and everything that affects the result: browser type, form, URL, steps, first navigation,
    /// viewport, user agent and context options, secret values included (so they only ever count by this hash). Priority,
    /// timeout, retries, idempotency key, client reference and the cache setting itself do not count.
    /// </summary>
    public static string Key(string owner, int browserTypeId, JobSpecification spec, Viewport? viewport, string? userAgent, JobOptions? context)
    {
        var normalised = new
        {
            owner, browserTypeId, spec.ActionType, spec.TargetUrl, spec.Actions, spec.WaitUntil, viewport, userAgent, context,
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(normalised, JobRequests.Json))));
    }

    /// <summary>The owner's newest original run of the job that completed within <paramref name="maxAgeSeconds"/>, if any.</summary>
    public async Task<AutomationJob?> FindAsync(string owner, string key, int maxAgeSeconds, CancellationToken cancellationToken)
    {
        var since = DateTime.UtcNow.AddSeconds(-maxAgeSeconds);
        var found = await db.Jobs.AsNoTracking()
            .Where(j => j.Owner == owner && j.ResultKey == key && j.CurrentState == JobStates.Completed && j.CachedFromJobId == null
                        && j.CompletedAt >= since && j.Result != null)
            .OrderByDescending(j => j.CompletedAt)
            .FirstOrDefaultAsync(cancellationToken);
        (found is null ? Misses : Hits).Add(1);
        return found;
    }

    /// <summary>Completes the new job (not yet saved) from <paramref name="original"/>: one transition, announced like any other.</summary>
    public async Task CompleteFromAsync(AutomationJob job, AutomationJob original, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        job.CachedFromJobId = original.Id;
        job.Result = original.Result;
        job.StartedAt = now;
        job.CompletedAt = now;
        db.JobLogs.Add(new JobLog
        {
            JobId = job.Id,
            Level = "info",
            Message = $"Answered from the result cache: job {original.Id} completed at {original.CompletedAt:O}",
            Metadata = JsonSerializer.Serialize(new { cachedFrom = original.Id }, JobRequests.Json),
            CreatedAt = now,
        });
        await JobTransitions.MoveAsync(job, JobStates.Completed, publish, now, cancellationToken, db);
        await publish.Publish(new JobCompleted
        {
            JobId = job.Id,
            ClientReference = job.ClientReference,
            CompletedAt = now,
            Result = JsonSerializer.Deserialize<JobResult>(original.Result!, JobRequests.Json)!,
        }, cancellationToken);
        logger.LogInformation("Job {JobId} answered from the result cache of job {CachedFrom}", job.Id, original.Id);
    }
}
