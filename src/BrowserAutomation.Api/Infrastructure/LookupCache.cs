using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>
/// API keys (by hash) and browser types (by id) as last read from PostgreSQL, so that authenticating and submitting do
/// not read them on every request. Every change to either table is announced by a trigger (NOTIFY lookup_changes) and
/// evicts the entry on every API copy (<see cref="LookupCacheListener"/>); entries older than
/// <see cref="LookupCacheOptions.MaxAgeMs"/> are reloaded anyway, which bounds staleness while a copy cannot listen.
/// Entries are shared: callers must not change them.
/// </summary>
public sealed class LookupCache(IOptions<LookupCacheOptions> options, TimeProvider time)
{
    private static readonly Counter<long> Lookups = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.lookup_cache.lookups", "{lookup}", "API-key and browser-type lookups by the API, by kind and result (hit, miss)");

    private static readonly Counter<long> Invalidations = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.lookup_cache.invalidations", "{invalidation}", "Cache entries evicted because PostgreSQL announced a change (or the listener reconnected)");

    private readonly ConcurrentDictionary<string, Entry<ApiKey>> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, Entry<BrowserType>> _browserTypes = new();
    private readonly ConcurrentDictionary<string, Entry<Persistence.Webhooks.WebhookKey>> _webhookKeys = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>The key with this hash (unknown keys are not cached, so random keys cannot fill the cache).</summary>
    public Task<ApiKey?> KeyAsync(string hash, Func<Task<ApiKey?>> load) => GetAsync(_keys, hash, "api_key", load);

    /// <summary>The browser type with this id.</summary>
    public Task<BrowserType?> BrowserTypeAsync(int id, Func<Task<BrowserType?>> load) => GetAsync(_browserTypes, id, "browser_type", load);

    /// <summary>
    /// A signer's webhook settings (secret, default webhook); a signer without any is cached as a row without them, so a
    /// submission without a webhook costs no query. Changes arrive as "webhook_keys:&lt;signer&gt;".
    /// </summary>
    public async Task<Persistence.Webhooks.WebhookKey> WebhookKeyAsync(string signerId, Func<Task<Persistence.Webhooks.WebhookKey?>> load) =>
        (await GetAsync(_webhookKeys, signerId, "webhook_key", async () => await load() ?? new Persistence.Webhooks.WebhookKey { SignerId = signerId }))!;

    /// <summary>Applies a lookup_changes payload ("api_keys:&lt;id&gt;", "browser_types:&lt;id&gt;"); anything else clears all.</summary>
    public void Invalidate(string payload)
    {
        Interlocked.Increment(ref _generation);
        var (table, id) = payload.Split(':', 2) is [var t, var i] ? (t, i) : ("", "");
        if (table == "browser_types" && int.TryParse(id, out var typeId))
        {
            Evict(_browserTypes, typeId);
        }
        else if (table == "webhook_keys" && id.Length > 0)
        {
            Evict(_webhookKeys, id);
        }
        else if (table == "api_keys" && Guid.TryParse(id, out var keyId))
        {
            foreach (var (hash, entry) in _keys)
            {
                if (entry.Value?.Id == keyId)
                {
                    Evict(_keys, hash);
                }
            }
        }
        else
        {
            Clear();
        }
    }

    /// <summary>Forgets everything (the listener lost its connection, so changes may have been missed).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        Invalidations.Add(_keys.Count + _browserTypes.Count + _webhookKeys.Count);
        _keys.Clear();
        _browserTypes.Clear();
        _webhookKeys.Clear();
    }

    private static void Evict<TKey, TValue>(ConcurrentDictionary<TKey, Entry<TValue>> cache, TKey key)
        where TKey : notnull
    {
        if (cache.TryRemove(key, out _))
        {
            Invalidations.Add(1);
        }
    }

    private async Task<TValue?> GetAsync<TKey, TValue>(ConcurrentDictionary<TKey, Entry<TValue>> cache, TKey key, string kind, Func<Task<TValue?>> load)
        where TKey : notnull
        where TValue : class
    {
        var maxAge = TimeSpan.FromMilliseconds(options.Value.MaxAgeMs);
        var now = time.GetUtcNow();
        if (maxAge > TimeSpan.Zero && cache.TryGetValue(key, out var cached) && now - cached.LoadedAt < maxAge)
        {
            Lookups.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", "hit"));
            return cached.Value;
        }

        Lookups.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", "miss"));
        // A change announced while loading must not be overwritten by what was read before it.
        var generation = Interlocked.Read(ref _generation);
        var value = await load();
        if (maxAge > TimeSpan.Zero && value is not null && Interlocked.Read(ref _generation) == generation)
        {
            cache[key] = new Entry<TValue>(value, now);
        }

        return value;
    }

    private sealed record Entry<TValue>(TValue? Value, DateTimeOffset LoadedAt);
}
