using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Browsers;

public static class BrowsersEndpoints
{
    public static IEndpointRouteBuilder MapBrowsersEndpoints(this IEndpointRouteBuilder app)
    {
        var browsers = app.MapGroup("/api/v1/browsers").WithTags("Browsers");
        browsers.MapGet("/", ListBrowsers).WithName("ListBrowsers").WithSummary("All browser types.");
        browsers.MapGet("/{id:int}", GetBrowser).WithName("GetBrowser").WithSummary("One browser type.");
        return app;
    }

    public static async Task<Ok<BrowserListResponse>> ListBrowsers(AutomationDbContext db, CancellationToken cancellationToken)
    {
        var types = await db.BrowserTypes.OrderBy(b => b.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new BrowserListResponse(types.Select(ToResponse).ToList()));
    }

    public static async Task<Results<Ok<BrowserTypeResponse>, ProblemHttpResult>> GetBrowser(int id, AutomationDbContext db,
        CancellationToken cancellationToken)
    {
        var type = await db.BrowserTypes.SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        return type is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Browser type not found", detail: $"No browser type with id {id}.")
            : TypedResults.Ok(ToResponse(type));
    }

    static BrowserTypeResponse ToResponse(BrowserType b) => new(
        b.Id, b.Name, b.Type, b.DeviceType,
        b.ViewportWidth is { } w && b.ViewportHeight is { } h ? new ViewportResponse(w, h) : null,
        b.UserAgent, b.DeviceDescriptor, b.IsActive);
}

public sealed record BrowserListResponse(IReadOnlyList<BrowserTypeResponse> Data);

public sealed record BrowserTypeResponse(int Id, string Name, string Type, string DeviceType, ViewportResponse? Viewport, string? UserAgent,
    string? DeviceDescriptor, bool IsActive);

public sealed record ViewportResponse(int Width, int Height);
