using System.Text.Json;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Persistence.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BrowserAutomation.Worker.Jobs;

/// <summary>
/// Registers this worker in browser_workers (one row per engine it serves), refreshes status, current job and pool
/// state every few seconds, and marks the rows offline once the host has stopped (after the drain). Readers treat a
/// stale heartbeat as offline; admission does not depend on it.
/// </summary>
/// <remarks>
/// The beat runs on a thread of its own with synchronous I/O on a connection pool of its own: a busy worker (jobs'
/// continuations queued on a thread pool that grows slowly on a small machine, the jobs' connection pool, EF Core's
/// DbContext machinery) cannot delay it. It used to be an async loop on the shared thread pool and DbContext, which
/// is what stalled for 13-14 s without an error while a freshly started worker was busy.
/// </remarks>
public sealed class WorkerHeartbeat : IHostedLifecycleService, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IOptions<WorkerOptions> _options;
    private readonly RunningJobs _running;
    private readonly BrowserPool _pool;
    private readonly ILogger<WorkerHeartbeat> _logger;
    private readonly NpgsqlDataSource _database;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, (Guid RowId, int? BrowserTypeId)> _rows = [];
    private Thread? _thread;
    private volatile bool _draining;
    private long _beats;

    public WorkerHeartbeat(IOptions<WorkerOptions> options, IOptions<DatabaseOptions> database, RunningJobs running, BrowserPool pool,
        ILogger<WorkerHeartbeat> logger)
    {
        _options = options;
        _running = running;
        _pool = pool;
        _logger = logger;
        var interval = options.Value.HeartbeatIntervalMs;
        var connection = new NpgsqlConnectionStringBuilder(database.Value.BuildConnectionString())
        {
            MaxPoolSize = 1,
            // A beat that cannot reach PostgreSQL gives up within about two intervals and the next one tries again.
            Timeout = Math.Max(1, interval * 2 / 1000),
            CommandTimeout = Math.Max(1, interval * 2 / 1000),
        };
        _database = NpgsqlDataSource.Create(connection.ConnectionString);
    }

    /// <summary>This process's identity; each engine row gets an id derived from it.</summary>
    public Guid WorkerId { get; } = Guid.NewGuid();

    /// <summary>Beats written to browser_workers so far (not counting the final offline one).</summary>
    public long BeatsRecorded => Interlocked.Read(ref _beats);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "worker-heartbeat" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // SIGTERM: the rows say "draining" while running jobs finish, and stay fresh until the host has stopped.
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromMilliseconds(_options.Value.HeartbeatIntervalMs * 3));
        try
        {
            Beat(offline: true);
        }
        catch (Exception exception)
        {
            _logger.LogWarning("Could not mark the worker offline: {Error}", exception.Message);
        }

        return Task.CompletedTask;
    }

    private void Run()
    {
        var interval = TimeSpan.FromMilliseconds(_options.Value.HeartbeatIntervalMs);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                Beat(offline: false);
                Interlocked.Increment(ref _beats);
            }
            catch (Exception exception) when (!_stop.IsCancellationRequested)
            {
                _logger.LogWarning("Worker heartbeat failed: {Error}", exception.Message);
            }

            _stop.Token.WaitHandle.WaitOne(interval);
        }
    }

    private void Beat(bool offline)
    {
        using var connection = _database.OpenConnection();
        var jobs = _running.Snapshot();
        var stats = _pool.GetStats();
        var engines = _pool.Engines;
        lock (_rows)
        {
            foreach (var engine in _options.Value.EngineList)
            {
                if (!_rows.TryGetValue(engine, out var row))
                {
                    using var lookup = new NpgsqlCommand("SELECT id FROM browser_types WHERE type = $1 AND device_type = 'desktop' ORDER BY id LIMIT 1", connection);
                    lookup.Parameters.Add(new NpgsqlParameter { Value = engine });
                    row = _rows[engine] = (Guid.NewGuid(), lookup.ExecuteScalar() is int id ? id : null);
                }

                var mine = jobs.Where(j => j.Engine == engine).OrderBy(j => j.StartedAt).ToList();
                var status = offline ? "offline" : mine.Count > 0 ? "busy" : "idle";
                var engineStatus = engines.TryGetValue(engine, out var probe) ? probe : null;
                var metadata = JsonSerializer.Serialize(new
                {
                    workerId = WorkerId,
                    host = Environment.MachineName,
                    pid = Environment.ProcessId,
                    engine,
                    available = engineStatus?.Available,
                    browserVersion = engineStatus?.Version,
                    unavailableReason = engineStatus?.Reason,
                    maxConcurrentJobs = _options.Value.MaxConcurrentJobs,
                    runningJobs = mine.Select(j => j.JobId).ToList(),
                    draining = _draining,
                    pool = stats.TryGetValue(engine, out var engineStats) ? engineStats : null,
                }, Json);

                using var upsert = new NpgsqlCommand("""
                    INSERT INTO browser_workers (id, browser_type_id, status, current_job_id, last_heartbeat, started_at, metadata)
                    VALUES ($1, $2, $3, $4, now(), now(), $5::jsonb)
                    ON CONFLICT (id) DO UPDATE SET status = excluded.status, current_job_id = excluded.current_job_id,
                        last_heartbeat = excluded.last_heartbeat, metadata = excluded.metadata
                    """, connection);
                upsert.Parameters.Add(new NpgsqlParameter { Value = row.RowId });
                upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)row.BrowserTypeId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
                upsert.Parameters.Add(new NpgsqlParameter { Value = status });
                upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)mine.FirstOrDefault()?.JobId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
                upsert.Parameters.Add(new NpgsqlParameter { Value = metadata });
                upsert.ExecuteNonQuery();
            }
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _database.Dispose();
    }
}
