using BrowserAutomation.Persistence.Artifacts;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BrowserAutomation.Api.Artifacts;

/// <summary>
/// Deletes what the service no longer needs, every RETENTION_INTERVAL_MS, on one API copy at a time (a PostgreSQL
/// advisory lock): finished jobs past JOB_CLEANUP_AFTER_DAYS with everything hanging off them and their store objects,
/// consumed inbox rows past the de-duplication window, long-gone workers, and store objects no row names. Every
/// delete is a batch of RETENTION_BATCH_SIZE rows picked with SKIP LOCKED in a short transaction of its own, so
/// submissions and the state machine never wait for it. (Sent outbox rows need nothing: the dispatcher deletes a row
/// once the broker has it.)
/// </summary>
public sealed class RetentionService(
    ArtifactDataSource dataSource,
    ArtifactStores stores,
    IOptions<RetentionOptions> options,
    IOptions<ArtifactStorageOptions> storage,
    ILogger<RetentionService> logger) : BackgroundService
{
    // Any constant shared by every API copy; "retention" in ASCII.
    private const long AdvisoryLockKey = 0x726574656e74696f;

    // A finished job is one in a final status (JobStates.IsFinalStatus); a new final status joins by being final there.
    private static readonly string[] FinishedStatuses = [.. JobStates.AllStatuses.Where(JobStates.IsFinalStatus)];

    // Rows that hang off a job, deleted before it (each also cascades, but counted per table this way).
    private static readonly string[] JobTables = ["job_logs", "job_events", "webhook_deliveries", "job_webhooks"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.IntervalMs));
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Retention run failed ({Error}); the next one starts in {Interval} ms", ex.Message, options.Value.IntervalMs);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One run, if no other API copy is running one; returns false when another copy holds the lock.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var lockConnection = await dataSource.Source.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({AdvisoryLockKey})", lockConnection))
        {
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return false;
            }
        }

        try
        {
            var settings = options.Value;
            if (settings.JobCleanupAfterDays > 0)
            {
                await DeleteJobsAsync(DateTime.UtcNow.AddDays(-settings.JobCleanupAfterDays), cancellationToken);
            }

            ArtifactMetrics.Deleted("inbox_states", await DeleteBatchesAsync(
                "inbox_states", "consumed IS NOT NULL AND received < @cutoff", DateTime.UtcNow.AddHours(-settings.InboxRetentionHours), cancellationToken));
            ArtifactMetrics.Deleted("browser_workers", await DeleteBatchesAsync(
                "browser_workers", "last_heartbeat < @cutoff", DateTime.UtcNow.AddDays(-settings.OfflineWorkerRetentionDays), cancellationToken));
            if (stores.Current.IsExternal)
            {
                await SweepOrphansAsync(DateTime.UtcNow.AddMinutes(-storage.Value.OrphanAfterMinutes), cancellationToken);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLockKey})", lockConnection);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }

        return true;
    }

    private async Task DeleteJobsAsync(DateTime cutoff, CancellationToken cancellationToken)
    {
        var batch = options.Value.BatchSize;
        long jobs = 0, objects = 0;
        while (true)
        {
            var (deleted, keys) = await DeleteJobBatchAsync(cutoff, batch, cancellationToken);
            jobs += deleted;
            // After the commit: a failed object delete leaves an orphan for the sweep, never a row without its object.
            foreach (var (type, key) in keys)
            {
                if (stores.For(type) is { IsExternal: true } store && await TryDeleteObjectAsync(store, key, cancellationToken))
                {
                    objects++;
                }
            }

            if (deleted < batch)
            {
                break;
            }
        }

        ArtifactMetrics.Deleted("artifact_objects", objects);
        if (jobs > 0)
        {
            logger.LogInformation("Retention deleted {Jobs} jobs finished before {Cutoff:O} and {Objects} store objects", jobs, cutoff, objects);
        }
    }

    private async Task<(int Jobs, List<(string Type, string Key)> Keys)> DeleteJobBatchAsync(DateTime cutoff, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.Source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Guid[] ids;
        // created_at < cutoff lets idx_jobs_created_at narrow the scan: a job finishes after it is created.
        await using (var pick = new NpgsqlCommand(
                         """
                         SELECT id FROM automation_jobs
                         WHERE status = ANY(@statuses) AND created_at < @cutoff AND COALESCE(completed_at, created_at) < @cutoff
                         ORDER BY created_at LIMIT @batch FOR UPDATE SKIP LOCKED
                         """, connection, transaction))
        {
            pick.Parameters.AddWithValue("statuses", FinishedStatuses);
            pick.Parameters.AddWithValue("cutoff", cutoff);
            pick.Parameters.AddWithValue("batch", batch);
            var list = new List<Guid>();
            await using var reader = await pick.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(reader.GetGuid(0));
            }

            ids = [.. list];
        }

        if (ids.Length == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return (0, []);
        }

        foreach (var table in JobTables)
        {
            ArtifactMetrics.Deleted(table, await ExecuteAsync($"DELETE FROM {table} WHERE job_id = ANY(@ids)", connection, transaction, ids, cancellationToken));
        }

        var keys = new List<(string, string)>();
        var artifacts = 0;
        await using (var delete = new NpgsqlCommand(
                         "DELETE FROM job_artifacts WHERE job_id = ANY(@ids) RETURNING storage_type, storage_key", connection, transaction))
        {
            delete.Parameters.AddWithValue("ids", ids);
            await using var reader = await delete.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                artifacts++;
                if (!reader.IsDBNull(0) && !reader.IsDBNull(1))
                {
                    keys.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
        }

        ArtifactMetrics.Deleted("job_artifacts", artifacts);
        var jobs = await ExecuteAsync("DELETE FROM automation_jobs WHERE id = ANY(@ids)", connection, transaction, ids, cancellationToken);
        ArtifactMetrics.Deleted("automation_jobs", jobs);
        await transaction.CommitAsync(cancellationToken);
        return (ids.Length, keys);
    }

    private static async Task<int> ExecuteAsync(string sql, NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[] ids,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("ids", ids);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes rows of <paramref name="table"/> matching <paramref name="condition"/> in batches picked by ctid.</summary>
    private async Task<long> DeleteBatchesAsync(string table, string condition, DateTime cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await using var command = dataSource.Source.CreateCommand(
                $"DELETE FROM {table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {table} WHERE {condition} LIMIT @batch FOR UPDATE SKIP LOCKED))");
            command.Parameters.AddWithValue("cutoff", cutoff);
            command.Parameters.AddWithValue("batch", options.Value.BatchSize);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < options.Value.BatchSize)
            {
                return total;
            }
        }
    }

    /// <summary>Deletes store objects older than the cutoff that no job_artifacts row names (a worker died between writing and recording).</summary>
    private async Task SweepOrphansAsync(DateTime olderThan, CancellationToken cancellationToken)
    {
        var store = stores.Current;
        long orphans = 0;
        var page = new List<string>();
        await foreach (var key in store.ListOlderThanAsync(olderThan, cancellationToken))
        {
            page.Add(key);
            if (page.Count >= options.Value.BatchSize)
            {
                orphans += await SweepPageAsync(store, page, cancellationToken);
                page.Clear();
            }
        }

        orphans += await SweepPageAsync(store, page, cancellationToken);
        ArtifactMetrics.Deleted("orphan_objects", orphans);
        if (orphans > 0)
        {
            logger.LogInformation("Retention deleted {Orphans} {Store} objects that no artifact row named", orphans, store.Type);
        }
    }

    private async Task<long> SweepPageAsync(IArtifactStore store, List<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        var named = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = dataSource.Source.CreateCommand("SELECT storage_key FROM job_artifacts WHERE storage_key = ANY(@keys)"))
        {
            command.Parameters.AddWithValue("keys", keys.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                named.Add(reader.GetString(0));
            }
        }

        long deleted = 0;
        foreach (var key in keys.Where(k => !named.Contains(k) && ArtifactKeys.ArtifactIdOf(k) is not null))
        {
            if (await TryDeleteObjectAsync(store, key, cancellationToken))
            {
                deleted++;
            }
        }

        return deleted;
    }

    private async Task<bool> TryDeleteObjectAsync(IArtifactStore store, string key, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(key, cancellationToken);
            ArtifactMetrics.Operation(store.Type, "delete", ok: true);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ArtifactMetrics.Operation(store.Type, "delete", ok: false);
            logger.LogWarning("Retention could not delete {Store} object {Key} ({Error}); the orphan sweep retries it", store.Type, key, ex.Message);
            return false;
        }
    }
}
