using BrowserAutomation.Persistence.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>
/// LISTENs on lookup_changes (NOTIFY from triggers on api_keys and browser_types) and evicts what changed from this
/// copy's <see cref="LookupCache"/>. When the connection drops the whole cache is cleared (changes may have been missed)
/// and the listener reconnects; meanwhile entries live at most LOOKUP_CACHE_MAX_AGE_MS.
/// </summary>
internal sealed class LookupCacheListener(LookupCache cache, IOptions<DatabaseOptions> database, ILogger<LookupCacheListener> logger)
    : BackgroundService
{
    public const string Channel = "lookup_changes";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.Value.BuildConnectionString())
        {
            Pooling = false,
            KeepAlive = 30,
        }.ConnectionString;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => cache.Invalidate(e.Payload);
                await using (var command = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever changed while nobody listened is forgotten now.
                cache.Clear();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                cache.Clear();
                logger.LogDebug(exception, "Lookup cache LISTEN connection lost; reconnecting");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
