using BrowserAutomation.Persistence.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>PostgreSQL LISTEN on a channel for as long as a background service runs, across lost connections.</summary>
public static class PostgresNotifications
{
    /// <summary>
    /// Listens on <paramref name="channel"/> until <paramref name="stoppingToken"/> is cancelled, on a connection of its own
    /// (outside the pool), reconnecting a second after it is lost. <paramref name="onListening"/> runs each time the
    /// LISTEN is in place, since notifications sent while nobody listened are gone; <paramref name="onLost"/> when the
    /// connection drops.
    /// </summary>
    public static async Task ListenAsync(DatabaseOptions database, string channel, Action<string> onNotification, Action onListening,
        Action? onLost, ILogger logger, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var connectionString = new NpgsqlConnectionStringBuilder(database.BuildConnectionString())
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
                connection.Notification += (_, e) => onNotification(e.Payload);
                await using (var command = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }

                onListening();
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
                onLost?.Invoke();
                logger.LogDebug(exception, "LISTEN {Channel}: connection lost; reconnecting", channel);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
