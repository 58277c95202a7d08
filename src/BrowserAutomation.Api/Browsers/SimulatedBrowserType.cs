using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Browsers;

/// <summary>
/// The API's one gate for the simulated engine (benchmarking only): a browser type of type "simulated" may be active
/// only while SIMULATED_ENGINE_ENABLED=true. At start this keeps the "Simulated" browser type active when enabled
/// (created if missing, so the bench finds it in GET /api/v1/browsers) and deactivates every simulated type when not,
/// so jobs for them are refused like those of any deactivated type; creating or activating one is refused by
/// <see cref="BrowserTypeValidator"/> with a message naming the variable.
/// </summary>
public sealed class SimulatedBrowserType(IServiceScopeFactory scopes, IOptions<SimulatedEngineOptions> options, ILogger<SimulatedBrowserType> logger)
    : IHostedService
{
    public const string Refused =
        "The simulated engine runs jobs without a browser and is for benchmarking only: a browser type of type 'simulated' "
        + "can be active only when the API runs with SIMULATED_ENGINE_ENABLED=true.";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        if (options.Value.Enabled)
        {
            // Several API copies may start at once: the unique name makes the insert happen once.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO browser_types (name, type, device_type, is_active, created_at, updated_at)
                VALUES ({SimulatedEngine.BrowserTypeName}, {SimulatedEngine.Name}, 'desktop', true, now(), now())
                ON CONFLICT (name) DO NOTHING
                """, cancellationToken);
            await db.Database.ExecuteSqlAsync($"""
                UPDATE browser_types SET is_active = true, updated_at = now()
                WHERE name = {SimulatedEngine.BrowserTypeName} AND type = {SimulatedEngine.Name} AND NOT is_active
                """, cancellationToken);
            logger.LogWarning("SIMULATED_ENGINE_ENABLED: jobs for browser type {Name} complete without a browser (benchmarking only)",
                SimulatedEngine.BrowserTypeName);
        }
        else
        {
            await db.Database.ExecuteSqlAsync(
                $"UPDATE browser_types SET is_active = false, updated_at = now() WHERE type = {SimulatedEngine.Name} AND is_active", cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
