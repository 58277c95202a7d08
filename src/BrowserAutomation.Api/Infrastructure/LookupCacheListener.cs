using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Persistence.Messaging;
using Microsoft.Extensions.Options;

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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Whatever changed while nobody listened is forgotten when the LISTEN is back, and at once when it is lost.
        PostgresNotifications.ListenAsync(database.Value, Channel, cache.Invalidate, cache.Clear, cache.Clear, logger, stoppingToken);
}
