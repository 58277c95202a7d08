using System.Text.Json;
using BrowserAutomation.Api.Security;
using BrowserAutomation.Api.Workers;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Browsers;

public static class BrowsersEndpoints
{
    public static IEndpointRouteBuilder MapBrowsersEndpoints(this IEndpointRouteBuilder app)
    {
        var browsers = app.MapGroup("/api/v1/browsers").WithTags("Browsers").RequireAuthorization(Policies.Read);
        browsers.MapGet("/", ListBrowsers).WithName("ListBrowsers")
            .WithSummary("All browser types, each with whether a live worker can run it now (available) and why not.");
        browsers.MapGet("/{id:int}", GetBrowser).WithName("GetBrowser").WithSummary("One browser type, with its availability.");
        browsers.MapBrowserManagement();
        return app;
    }

    public static async Task<Ok<BrowserListResponse>> ListBrowsers(AutomationDbContext db, WorkerLiveness liveness, CancellationToken cancellationToken)
    {
        var types = await db.BrowserTypes.AsNoTracking().OrderBy(b => b.Id).ToListAsync(cancellationToken);
        var workers = await LiveWorkersAsync(db, liveness, cancellationToken);
        return TypedResults.Ok(new BrowserListResponse(types.Select(t => ToResponse(t, workers, liveness)).ToList()));
    }

    public static async Task<Results<Ok<BrowserTypeResponse>, ProblemHttpResult>> GetBrowser(int id, AutomationDbContext db, WorkerLiveness liveness,
        CancellationToken cancellationToken)
    {
        var type = await db.BrowserTypes.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        return type is null ? NotFound(id) : TypedResults.Ok(ToResponse(type, await LiveWorkersAsync(db, liveness, cancellationToken), liveness));
    }

    internal static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Browser type not found", detail: $"No browser type with id {id}.");

    /// <summary>The type as GET shows it, with its availability now.</summary>
    internal static async Task<BrowserTypeResponse> ViewAsync(BrowserType type, AutomationDbContext db, WorkerLiveness liveness,
        CancellationToken cancellationToken) => ToResponse(type, await LiveWorkersAsync(db, liveness, cancellationToken), liveness);

    /// <summary>Live workers (fresh heartbeat, not offline) with their engine and what they report about it.</summary>
    private static async Task<List<LiveWorker>> LiveWorkersAsync(AutomationDbContext db, WorkerLiveness liveness, CancellationToken cancellationToken)
    {
        var cutoff = liveness.Cutoff;
        var rows = await db.Workers.AsNoTracking()
            .Where(w => w.Status != "offline" && w.LastHeartbeat > cutoff && w.BrowserTypeId != null)
            .Join(db.BrowserTypes, w => w.BrowserTypeId, b => b.Id, (w, b) => new { b.Type, w.Metadata })
            .ToListAsync(cancellationToken);
        return rows.Select(r => LiveWorker.From(r.Type, r.Metadata)).ToList();
    }

    private static BrowserTypeResponse ToResponse(BrowserType b, List<LiveWorker> workers, WorkerLiveness liveness)
    {
        var serving = workers.Where(w => w.Engine == b.Type).ToList();
        var ready = serving.Where(w => w.Available == true).ToList();
        var reason = !b.IsActive ? "This browser type is inactive."
            : EngineCapabilities.Check(b.Type, new JobOptions { Device = b.DeviceDescriptor }, []) is [var problem, ..] ? problem.Message
            : !liveness.Serves(b.Type) ? $"This deployment does not serve the {b.Type} engine (SERVED_ENGINES): jobs for it are refused with 422."
            : serving.Count == 0 ? $"No live worker serves the {b.Type} engine right now; jobs for it are accepted and wait in its queue until a worker (WORKER_ENGINES including {b.Type}) takes them."
            : ready.Count == 0 ? serving.Select(w => w.UnavailableReason).FirstOrDefault(r => r is not null)
                                 ?? $"The {b.Type} workers have not reported the engine available yet."
            : null;

        return new BrowserTypeResponse(
            b.Id, b.Name, b.Type, b.DeviceType,
            b.ViewportWidth is { } w && b.ViewportHeight is { } h ? new ViewportResponse(w, h) : null,
            b.UserAgent, b.DeviceDescriptor, b.IsActive,
            reason is null,
            new BrowserAvailability(serving.Count, ready.Count, reason, ready.Select(r => r.BrowserVersion).FirstOrDefault(v => v is not null)));
    }

    private sealed record LiveWorker(string Engine, bool? Available, string? UnavailableReason, string? BrowserVersion)
    {
        public static LiveWorker From(string engine, string? metadata)
        {
            if (metadata is null)
            {
                return new LiveWorker(engine, null, null, null);
            }

            using var document = JsonDocument.Parse(metadata);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new LiveWorker(engine, null, null, null);
            }

            return new LiveWorker(
                engine,
                root.TryGetProperty("available", out var available) && available.ValueKind is JsonValueKind.True or JsonValueKind.False ? available.GetBoolean() : null,
                String(root, "unavailableReason"),
                String(root, "browserVersion"));
        }

        private static string? String(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}

public sealed record BrowserListResponse(IReadOnlyList<BrowserTypeResponse> Data);

/// <summary>A browser type as the design shapes it, plus whether a job for it can run now.</summary>
/// <param name="Available">A live worker serves the engine and reports it available now. Informational: a job for a served engine
/// (SERVED_ENGINES) is accepted without a live worker and waits in its queue; only engines not served are refused with 422.</param>
/// <param name="Availability">The details: live and ready workers, and why the type is unavailable.</param>
public sealed record BrowserTypeResponse(int Id, string Name, string Type, string DeviceType, ViewportResponse? Viewport, string? UserAgent,
    string? DeviceDescriptor, bool IsActive, bool Available, BrowserAvailability Availability);

/// <summary>Why a browser type can or cannot run jobs now.</summary>
/// <param name="LiveWorkers">Workers with a fresh heartbeat serving the engine.</param>
/// <param name="AvailableWorkers">Those of them that report the engine launched and working.</param>
/// <param name="Reason">Why the type is unavailable; null when available.</param>
/// <param name="BrowserVersion">The engine's version as a ready worker reports it.</param>
public sealed record BrowserAvailability(int LiveWorkers, int AvailableWorkers, string? Reason, string? BrowserVersion);

public sealed record ViewportResponse(int Width, int Height);
