using BrowserAutomation.Api.Infrastructure;
using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace BrowserAutomation.Api.Security;

/// <summary>
/// Fixed-window request counters kept in PostgreSQL (the UNLOGGED table rate_limit_windows), so every API copy counts
/// into the same window and two copies allow exactly what one does. A window starts at the first request after the
/// previous one ended (not at a multiple of its length), so at most max requests fit in any span of one window that
/// begins with a counted request. Each request is one upsert that adds to the
/// window and returns the new count; requests for one partition that arrive while its upsert is in flight are folded
/// into the next upsert (count + n), and the n answers are handed out in order, so the limit stays exact while the
/// round trips per request fall as concurrency rises. The window is taken from the database's clock, which every
/// copy shares.
/// </summary>
public sealed class SharedRateLimiter(IntakeDataSource dataSource)
{
    private const string Sql = """
        WITH clock AS (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms)
        INSERT INTO rate_limit_windows AS w (key, window_started_ms, count)
        SELECT @key, clock.ms, @n FROM clock
        ON CONFLICT (key) DO UPDATE SET
            count = CASE WHEN excluded.window_started_ms >= w.window_started_ms + @window THEN excluded.count ELSE w.count + excluded.count END,
            window_started_ms = CASE WHEN excluded.window_started_ms >= w.window_started_ms + @window
                                     THEN excluded.window_started_ms ELSE w.window_started_ms END
        RETURNING count, window_started_ms, window_started_ms + @window - (SELECT ms FROM clock)
        """;

    private const string GiveBackSql = "UPDATE rate_limit_windows SET count = greatest(0, count - @n) WHERE key = @key AND window_started_ms = @started";

    private readonly ConcurrentDictionary<string, Batcher<Waiter>> _partitions = new(StringComparer.Ordinal);

    /// <summary>The answer for one request: whether it may proceed, what is left of the window, and when the window ends.</summary>
    public readonly record struct Decision(bool Allowed, int Limit, long Remaining, TimeSpan ResetAfter, long WindowStartedMs);

    /// <summary>
    /// Counts <paramref name="weight"/> requests (a batch counts its jobs) against <paramref name="partition"/>, max per
    /// window of <paramref name="windowMs"/>; allowed only when all of them fit.
    /// </summary>
    public Task<Decision> AcquireAsync(string partition, int max, int windowMs, int weight = 1)
    {
        var queue = _partitions.GetOrAdd($"{partition}|{max}|{windowMs}",
            (_, a) => new Batcher<Waiter>(batch => CountAsync(batch, $"{a.partition}|{a.windowMs}", a.max, a.windowMs)), (partition, max, windowMs));
        var waiter = new Waiter(weight);
        queue.Add(waiter);
        return waiter.Completion.Task;
    }

    /// <summary>Takes back what a refused weighted request added, so the refusal does not use up the rest of the window.</summary>
    public async Task GiveBackAsync(string partition, int windowMs, long windowStartedMs, int weight)
    {
        await using var command = dataSource.Source.CreateCommand(GiveBackSql);
        command.Parameters.Add(new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = $"{partition}|{windowMs}" });
        command.Parameters.Add(new NpgsqlParameter<long>("n", NpgsqlDbType.Bigint) { TypedValue = weight });
        command.Parameters.Add(new NpgsqlParameter<long>("started", NpgsqlDbType.Bigint) { TypedValue = windowStartedMs });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One upsert for the whole batch (count + n); the answers are handed out in arrival order.</summary>
    private async Task CountAsync(List<Waiter> batch, string key, int max, int windowMs)
    {
        try
        {
            var total = batch.Sum(w => w.Weight);
            var (count, started, resetMs) = await AddAsync(key, windowMs, total);
            var used = count - total;
            var reset = TimeSpan.FromMilliseconds(Math.Max(0, resetMs));
            foreach (var waiter in batch)
            {
                used += waiter.Weight;
                waiter.Completion.TrySetResult(new Decision(used <= max, max, Math.Max(0, max - used), reset, started));
            }
        }
        catch (Exception e)
        {
            foreach (var waiter in batch)
            {
                waiter.Completion.TrySetException(e);
            }
        }
    }

    // A retry after a broken connection can count a request twice if the first upsert ran but its reply was lost: the
    // error is on the strict side, never an extra request let through.
    private Task<(long Count, long WindowStartedMs, long ResetMs)> AddAsync(string key, int windowMs, int n) =>
        Persistence.BrokenConnectionRetry.RunAsync(dataSource.Source, async cancellationToken =>
        {
            await using var command = dataSource.Source.CreateCommand(Sql);
            command.Parameters.Add(new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = key });
            command.Parameters.Add(new NpgsqlParameter<long>("window", NpgsqlDbType.Bigint) { TypedValue = windowMs });
            command.Parameters.Add(new NpgsqlParameter<long>("n", NpgsqlDbType.Bigint) { TypedValue = n });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }, CancellationToken.None);

    private sealed class Waiter(int weight)
    {
        public int Weight { get; } = weight;

        public TaskCompletionSource<Decision> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
