using BrowserAutomation.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Infrastructure;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Check).WithTags("Health").WithName("Health").WithSummary("Liveness and dependency status.").AllowAnonymous();
        return app;
    }

    public static async Task<IResult> Check(AutomationDbContext db, CancellationToken cancellationToken)
    {
        string database;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            database = await db.Database.CanConnectAsync(timeout.Token) ? "ok" : "unavailable";
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            database = "unavailable";
        }

        var healthy = database == "ok";
        return TypedResults.Json(new HealthResponse(healthy ? "ok" : "degraded", database),
            statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthResponse(string Status, string Database);
