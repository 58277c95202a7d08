using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BrowserAutomation.Persistence;

/// <summary>Applies EF Core migrations: the one explicit step run before the hosts start (never on API start-up).</summary>
public static class DatabaseMigrator
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        logger.LogInformation("Applying {Count} migration(s) to {Database}: {Migrations}", pending.Count,
            db.Database.GetDbConnection().Database, string.Join(", ", pending));
        await db.Database.MigrateAsync(cancellationToken);
    }
}
