using System.Text.Json;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Workers;

public static class WorkersEndpoints
{
    public static IEndpointRouteBuilder MapWorkersEndpoints(this IEndpointRouteBuilder app)
    {
        var workers = app.MapGroup("/api/v1/workers").WithTags("Workers").RequireAuthorization(Policies.Admin);
        workers.MapGet("/", ListWorkers).WithName("ListWorkers").WithSummary("Workers and their status (offline once the heartbeat is stale).");
        workers.MapGet("/stats", Stats).WithName("WorkerStats").WithSummary("Worker pool statistics: totals and counts per browser type.");
        return app;
    }

    public static async Task<Ok<WorkerListResponse>> ListWorkers(AutomationDbContext db, WorkerLiveness liveness, CancellationToken cancellationToken) =>
        TypedResults.Ok(new WorkerListResponse(await LoadAsync(db, liveness, cancellationToken)));

    public static async Task<Ok<WorkerStatsResponse>> Stats(AutomationDbContext db, WorkerLiveness liveness, CancellationToken cancellationToken)
    {
        var workers = await LoadAsync(db, liveness, cancellationToken);
        var live = workers.Where(w => w.Status != "offline").ToList();
        var byType = live.GroupBy(w => w.BrowserType ?? "unknown").ToDictionary(
            g => g.Key,
            g => new WorkerCounts(g.Count(), g.Count(w => w.Status == "idle"), g.Count(w => w.Status == "busy")));
        return TypedResults.Ok(new WorkerStatsResponse(live.Count, live.Count(w => w.Status == "idle"), live.Count(w => w.Status == "busy"),
            workers.Count - live.Count, byType));
    }

    private static async Task<List<WorkerResponse>> LoadAsync(AutomationDbContext db, WorkerLiveness liveness, CancellationToken cancellationToken)
    {
        var cutoff = liveness.Cutoff;
        var rows = await db.Workers.AsNoTracking()
            .GroupJoin(db.BrowserTypes, w => w.BrowserTypeId, b => b.Id, (w, b) => new { w, b })
            .SelectMany(x => x.b.DefaultIfEmpty(), (x, b) => new { x.w, Type = b == null ? null : b.Name })
            .OrderByDescending(x => x.w.LastHeartbeat)
            .ToListAsync(cancellationToken);

        return rows.Select(x => new WorkerResponse(
            x.w.Id,
            x.w.BrowserTypeId,
            x.Type,
            x.w.LastHeartbeat < cutoff ? "offline" : x.w.Status,
            x.w.Status == "busy" && x.w.LastHeartbeat >= cutoff ? x.w.CurrentJobId : null,
            x.w.LastHeartbeat,
            x.w.StartedAt,
            x.w.Metadata is null ? null : JsonDocument.Parse(x.w.Metadata).RootElement)).ToList();
    }
}

public sealed record WorkerListResponse(IReadOnlyList<WorkerResponse> Data);

public sealed record WorkerResponse(Guid Id, int? BrowserTypeId, string? BrowserType, string Status, Guid? CurrentJobId, DateTime LastHeartbeat,
    DateTime StartedAt, JsonElement? Metadata);

public sealed record WorkerStatsResponse(int TotalWorkers, int IdleWorkers, int BusyWorkers, int OfflineWorkers,
    IReadOnlyDictionary<string, WorkerCounts> ByBrowserType);

public sealed record WorkerCounts(int Total, int Idle, int Busy);
