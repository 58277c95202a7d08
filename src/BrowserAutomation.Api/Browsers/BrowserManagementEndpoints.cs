using BrowserAutomation.Api.Security;
using BrowserAutomation.Api.Workers;
using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BrowserAutomation.Api.Browsers;

/// <summary>
/// Browser type management (admin scope): create, update (PATCH: only the fields given change) and deactivate
/// (DELETE: the row stays, because jobs refer to it; new jobs for it are refused with 422; PATCH isActive=true
/// reactivates it). Every change is announced to every API copy by the browser_types trigger.
/// </summary>
public static class BrowserManagementEndpoints
{
    public static RouteGroupBuilder MapBrowserManagement(this RouteGroupBuilder browsers)
    {
        browsers.MapPost("/", CreateBrowser).RequireAuthorization(Policies.Admin).WithName("CreateBrowser")
            .WithSummary("Create a browser type (admin): engine, device descriptor, viewport, user agent; the name is unique.");
        browsers.MapPatch("/{id:int}", UpdateBrowser).RequireAuthorization(Policies.Admin).WithName("UpdateBrowser")
            .WithSummary("Change a browser type (admin): only the fields given change; isActive=false deactivates, true reactivates.");
        browsers.MapDelete("/{id:int}", DeactivateBrowser).RequireAuthorization(Policies.Admin).WithName("DeactivateBrowser")
            .WithSummary("Deactivate a browser type (admin): it stays listed with isActive=false and new jobs for it are refused with 422.");
        return browsers;
    }

    public static async Task<Results<Created<BrowserTypeResponse>, ValidationProblem, ProblemHttpResult>> CreateBrowser(
        BrowserTypeRequest request, AutomationDbContext db, WorkerLiveness liveness, IOptions<SimulatedEngineOptions> simulated, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var type = new BrowserType { Name = "", Type = "", CreatedAt = now, UpdatedAt = now };
        if (BrowserTypeValidator.Apply(request, type, simulated.Value.Enabled) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "The browser type is invalid.");
        }

        if (await NameTakenAsync(db, type, cancellationToken) is { } taken)
        {
            return taken;
        }

        db.BrowserTypes.Add(type);
        if (await SaveAsync(db, type, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        loggers.CreateLogger(typeof(BrowserManagementEndpoints)).LogInformation("Browser type {BrowserTypeId} ({Name}, {Engine}) created", type.Id, type.Name, type.Type);
        return TypedResults.Created($"/api/v1/browsers/{type.Id}", await BrowsersEndpoints.ViewAsync(type, db, liveness, cancellationToken));
    }

    public static async Task<Results<Ok<BrowserTypeResponse>, ValidationProblem, ProblemHttpResult>> UpdateBrowser(
        int id, BrowserTypeRequest request, AutomationDbContext db, WorkerLiveness liveness, IOptions<SimulatedEngineOptions> simulated, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var type = await db.BrowserTypes.AsTracking().SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (type is null)
        {
            return BrowsersEndpoints.NotFound(id);
        }

        if (BrowserTypeValidator.Apply(request, type, simulated.Value.Enabled) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "The browser type is invalid.");
        }

        if (await NameTakenAsync(db, type, cancellationToken) is { } taken)
        {
            return taken;
        }

        type.UpdatedAt = DateTime.UtcNow;
        if (await SaveAsync(db, type, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        loggers.CreateLogger(typeof(BrowserManagementEndpoints)).LogInformation("Browser type {BrowserTypeId} ({Name}) updated, active: {IsActive}", type.Id, type.Name, type.IsActive);
        return TypedResults.Ok(await BrowsersEndpoints.ViewAsync(type, db, liveness, cancellationToken));
    }

    public static Task<Results<Ok<BrowserTypeResponse>, ValidationProblem, ProblemHttpResult>> DeactivateBrowser(
        int id, AutomationDbContext db, WorkerLiveness liveness, IOptions<SimulatedEngineOptions> simulated, ILoggerFactory loggers,
        CancellationToken cancellationToken) =>
        UpdateBrowser(id, new BrowserTypeRequest { IsActive = false }, db, liveness, simulated, loggers, cancellationToken);

    private static async Task<ProblemHttpResult?> NameTakenAsync(AutomationDbContext db, BrowserType type, CancellationToken cancellationToken)
    {
        // Browser types are a handful of rows: comparing in memory keeps the rule exactly OrdinalIgnoreCase.
        var names = await db.BrowserTypes.AsNoTracking().Where(b => b.Id != type.Id).Select(b => new { b.Id, b.Name }).ToListAsync(cancellationToken);
        return names.FirstOrDefault(n => n.Name.Equals(type.Name, StringComparison.OrdinalIgnoreCase)) is { } existing
            ? NameConflict(type.Name, existing.Id)
            : null;
    }

    /// <summary>Saves; a racing create or rename to the same name loses on the unique index with the same 409.</summary>
    private static async Task<ProblemHttpResult?> SaveAsync(AutomationDbContext db, BrowserType type, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return NameConflict(type.Name, null);
        }
    }

    private static ProblemHttpResult NameConflict(string name, int? existing) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Browser type name taken",
            detail: $"A browser type named '{name}' already exists{(existing is { } id ? $" (id {id})" : "")}; names are unique (case-insensitive).",
            extensions: new Dictionary<string, object?> { ["existingBrowserTypeId"] = existing });
}
