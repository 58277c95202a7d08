using BrowserAutomation.Api.Workers;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BrowserAutomation.Api.Infrastructure;

public static class HealthEndpoints
{
    private const string BusCheck = "masstransit-bus";

    /// <summary>The API's checks for /health/ready and /health: PostgreSQL (MassTransit adds the broker's).</summary>
    public static IHostApplicationBuilder AddApiHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddDatabaseCheck().AddBrokerCheck();
        return builder;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Check).WithTags("Health").WithName("Health")
            .WithSummary("Dependency status (database, broker), live workers and their browser pools; 503 when the database or the broker is down.")
            .AllowAnonymous();
        return app;
    }

    public static async Task<IResult> Check(HealthCheckService health, AutomationDbContext db, WorkerLiveness liveness, ILogger<HealthResponse> logger,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var database = Word(report, DatabaseHealthChecks.Name);
        var broker = new[] { Word(report, BrokerHealthCheck.Name), Word(report, BusCheck) }.MaxBy(Severity)!;

        WorkersHealth? workers = null;
        BrowserPoolHealth? pool = null;
        if (database == "ok")
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(HealthHostExtensions.CheckTimeout);
                (workers, pool) = await HealthFigures.LoadAsync(db, liveness, timeout.Token);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Reading the workers for /health failed: {Error}", exception.Message);
            }
        }

        // Without the database or the broker no job can be accepted or run; without a live worker jobs are refused
        // per engine (503 on submission), which the body shows while the API itself stays up.
        var reachable = database != "unavailable" && broker != "unavailable";
        var status = reachable && database == "ok" && broker == "ok" && workers is { Total: > 0 } ? "ok" : "degraded";
        return TypedResults.Json(new HealthResponse(status, database, broker, workers, pool, HealthReportResponse.From(report).Checks),
            statusCode: reachable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static int Severity(string word) => word switch { "ok" => 0, "degraded" => 1, _ => 2 };

    private static string Word(HealthReport report, string check) =>
        !report.Entries.TryGetValue(check, out var entry) ? "unavailable"
        : entry.Status switch
        {
            HealthStatus.Healthy => "ok",
            HealthStatus.Degraded => "degraded",
            _ => "unavailable",
        };
}
