using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>
/// GET /health: "ok" when PostgreSQL and RabbitMQ answer and a worker is live, else "degraded"; database and broker are
/// "ok", "degraded" or "unavailable"; workers and browserPool are null while the database cannot be read.
/// </summary>
public sealed record HealthResponse(string Status, string Database, string Broker, WorkersHealth? Workers, BrowserPoolHealth? BrowserPool,
    IReadOnlyList<HealthCheckResponse> Checks);
