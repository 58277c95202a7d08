using System.Security.Claims;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Api.Workers;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Dashboard;

/// <summary>
/// GET /api/v1/overview (read scope): in one call, what the dashboard shows. Job figures are the caller's owner's
/// (an admin key's: every owner's), through the same tenancy filter as the job listing; workers carry no job ids.
/// </summary>
public static class OverviewEndpoints
{
    public const int DefaultJobs = 50;
    public const int MaxJobs = 200;
    public const int WindowHours = 24;

    /// <summary>Offline workers stay listed this long after their last heartbeat, then drop off.</summary>
    private static readonly TimeSpan OfflineShownFor = TimeSpan.FromMinutes(10);

    private const int MessageLength = 300;

    public static IEndpointRouteBuilder MapOverviewEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/overview").WithTags("Overview").RequireAuthorization(Policies.Read)
            .MapGet("/", GetOverview).WithName("GetOverview")
            .WithSummary("The dashboard's figures: the newest jobs with duration, failure and screenshots, counts by status and error type, "
                         + "queue depth and oldest pending age per engine, workers and their browser pools.");
        return app;
    }

    public static async Task<Results<Ok<OverviewResponse>, ValidationProblem>> GetOverview(
        AutomationDbContext db, WorkerLiveness liveness, TimeProvider time, ClaimsPrincipal user, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxJobs)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {MaxJobs}."] },
                title: "The overview request is invalid.");
        }

        var caller = user.GetCaller();
        var now = time.GetUtcNow().UtcDateTime;
        var since = now.AddHours(-WindowHours);
        var visible = db.Jobs.AsNoTracking().VisibleTo(caller);

        var counts = await visible.Where(j => j.CreatedAt >= since).GroupBy(j => j.CurrentState)
            .Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var statusCounts = JobStates.AllStatuses.ToDictionary(s => s, _ => 0);
        foreach (var count in counts)
        {
            statusCounts[JobStates.ToStatus(count.State)] = count.Count;
        }

        var jobs = await RecentJobsAsync(db, visible, limit ?? DefaultJobs, cancellationToken);
        return TypedResults.Ok(new OverviewResponse(
            new OverviewCaller(caller.Owner, caller.SeesAllOwners),
            now,
            WindowHours,
            statusCounts,
            await QueuesAsync(db, visible, now, cancellationToken),
            await FailuresAsync(visible, since, cancellationToken),
            await WorkersAsync(db, liveness, now, caller.SeesAllOwners, cancellationToken),
            jobs));
    }

    private static async Task<List<EngineBacklog>> QueuesAsync(AutomationDbContext db, IQueryable<AutomationJob> visible, DateTime now,
        CancellationToken cancellationToken)
    {
        var rows = await visible.Where(j => j.CurrentState == JobStates.Pending || j.CurrentState == JobStates.Processing)
            .GroupBy(j => j.Engine)
            .Select(g => new
            {
                Engine = g.Key,
                Pending = g.Count(j => j.CurrentState == JobStates.Pending),
                Processing = g.Count(j => j.CurrentState == JobStates.Processing),
                Oldest = g.Where(j => j.CurrentState == JobStates.Pending).Min(j => (DateTime?)j.CreatedAt),
            })
            .ToListAsync(cancellationToken);

        // Every active engine gets a row, an empty queue included.
        var engines = await db.BrowserTypes.AsNoTracking().Where(b => b.IsActive).Select(b => b.Type).Distinct().ToListAsync(cancellationToken);
        return engines.Union(rows.Select(r => r.Engine)).Order(StringComparer.Ordinal)
            .Select(engine => rows.FirstOrDefault(r => r.Engine == engine) is { } row
                ? new EngineBacklog(engine, row.Pending, row.Processing, row.Oldest is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : null)
                : new EngineBacklog(engine, 0, 0, null))
            .ToList();
    }

    private static async Task<List<FailureReason>> FailuresAsync(IQueryable<AutomationJob> visible, DateTime since, CancellationToken cancellationToken)
    {
        var failed = visible.Where(j => j.CurrentState == JobStates.Failed && j.CompletedAt >= since);
        var groups = await failed.GroupBy(j => j.ErrorType ?? "unknown")
            .Select(g => new { ErrorType = g.Key, Count = g.Count(), Last = g.Max(j => j.CompletedAt) })
            .OrderByDescending(g => g.Count).ThenBy(g => g.ErrorType)
            .ToListAsync(cancellationToken);

        var reasons = new List<FailureReason>(groups.Count);
        foreach (var group in groups)
        {
            var message = await failed.Where(j => (j.ErrorType ?? "unknown") == group.ErrorType)
                .OrderByDescending(j => j.CompletedAt).Select(j => j.ErrorMessage).FirstOrDefaultAsync(cancellationToken);
            reasons.Add(new FailureReason(group.ErrorType, group.Count, group.Last, Shorten(message)));
        }

        return reasons;
    }

    private static async Task<List<OverviewWorker>> WorkersAsync(AutomationDbContext db, WorkerLiveness liveness, DateTime now, bool showHosts,
        CancellationToken cancellationToken)
    {
        var cutoff = liveness.Cutoff;
        var shownSince = now - OfflineShownFor;
        var rows = await db.Workers.AsNoTracking()
            .Where(w => w.LastHeartbeat >= shownSince)
            .GroupJoin(db.BrowserTypes, w => w.BrowserTypeId, b => b.Id, (w, b) => new { w, b })
            .SelectMany(x => x.b.DefaultIfEmpty(), (x, b) => new { x.w, Type = b == null ? null : b.Type })
            .ToListAsync(cancellationToken);

        return rows.Select(x =>
            {
                var metadata = WorkerHeartbeatMetadata.Parse(x.w.Metadata);
                var status = x.w.LastHeartbeat < cutoff ? "offline" : x.w.Status;
                return new OverviewWorker(x.w.Id, metadata.Engine ?? x.Type ?? "unknown", status, metadata.Available, metadata.BrowserVersion,
                    metadata.UnavailableReason, status == "offline" ? 0 : metadata.RunningJobs, metadata.MaxConcurrentJobs, x.w.LastHeartbeat,
                    x.w.StartedAt, showHosts ? metadata.Host : null, status == "offline" ? null : metadata.Pool);
            })
            .OrderBy(w => w.Status == "offline").ThenBy(w => w.Engine, StringComparer.Ordinal).ThenBy(w => w.StartedAt)
            .ToList();
    }

    private static async Task<List<OverviewJob>> RecentJobsAsync(AutomationDbContext db, IQueryable<AutomationJob> visible, int limit,
        CancellationToken cancellationToken)
    {
        var rows = await visible.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Take(limit)
            .Select(j => new
            {
                j.Id, j.Owner, j.CurrentState, j.Engine, j.BrowserTypeId, BrowserType = j.BrowserType == null ? null : j.BrowserType.Name, j.ActionType,
                j.TargetUrl, j.Attempt, j.RetryCount, j.ErrorType, j.ErrorMessage, j.CreatedAt, j.StartedAt, j.CompletedAt,
            })
            .ToListAsync(cancellationToken);

        var ids = rows.Select(r => r.Id).ToList();
        var screenshots = (await db.Artifacts.AsNoTracking()
                .Where(a => ids.Contains(a.JobId) && a.ArtifactType == "screenshot")
                .OrderBy(a => a.CreatedAt)
                .Select(a => new { a.JobId, a.Id, a.MimeType, a.SizeBytes })
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.JobId, a => new OverviewArtifact(a.Id, $"/api/v1/jobs/{a.JobId}/artifacts/{a.Id}", a.MimeType, a.SizeBytes));

        return rows.Select(r => new OverviewJob(
                r.Id, r.Owner, JobStates.ToStatus(r.CurrentState), r.Engine, r.BrowserTypeId, r.BrowserType, r.ActionType, r.TargetUrl, r.Attempt,
                r.RetryCount, r.ErrorType, Shorten(r.ErrorMessage), r.CreatedAt, r.StartedAt, r.CompletedAt,
                r.StartedAt is { } started && r.CompletedAt is { } completed ? (long)(completed - started).TotalMilliseconds : null,
                screenshots[r.Id].ToList()))
            .ToList();
    }

    private static string? Shorten(string? message) =>
        message is { Length: > MessageLength } ? string.Concat(message.AsSpan(0, MessageLength - 1), "…") : message;
}
