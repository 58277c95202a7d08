using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Pool;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Worker;
using BrowserAutomation.Worker.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.IntegrationTests.Worker.Jobs;

/// <summary>
/// The heartbeat stall, reproduced: while the process's thread pool is saturated by blocking work (what a freshly
/// started, busy worker does on two cores), the old heartbeat (an async loop whose Task.Delay, per-beat deadline and
/// database continuations all need a thread-pool thread) records nothing and reports nothing, while the heartbeat on
/// a thread and connection pool of its own keeps writing beats to PostgreSQL. Counts, not timings: the starvation
/// lasts exactly until the new heartbeat has recorded a fixed number of beats.
/// </summary>
public sealed class WorkerHeartbeatStarvationTests : IAsyncLifetime
{
    private const int BeatsDuringStarvation = 10;

    // Far more blocked work items than the pool can add threads for while the new heartbeat beats ten times.
    private const int BlockingWorkItems = 1_000;

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_saturated_thread_pool_silences_the_old_async_heartbeat_but_not_the_one_on_its_own_thread()
    {
        var workerOptions = Options.Create(new WorkerOptions { Engines = "chromium", HeartbeatIntervalMs = 100 });
        var databaseOptions = Options.Create(new DatabaseOptions { ConnectionString = _database.ConnectionString });
        await using var pool = new BrowserPool(Options.Create(new BrowserOptions()), NullLogger<BrowserPool>.Instance, TestEgress.Create());
        using var current = new WorkerHeartbeat(workerOptions, databaseOptions, new RunningJobs(), pool, NullLogger<WorkerHeartbeat>.Instance);
        var old = new ThreadPoolHeartbeat(_database, TimeSpan.FromMilliseconds(100));
        using var stop = new CancellationTokenSource();

        await current.StartAsync(CancellationToken.None);
        var oldLoop = Task.Run(() => old.RunAsync(stop.Token));
        await Wait.UntilAsync(() => current.BeatsRecorded >= 2 && Interlocked.Read(ref old.Beats) >= 2, TimeSpan.FromSeconds(30), "both heartbeats to beat");

        long oldDuring;
        long oldFailuresDuring;
        bool currentKeptBeating;
        // Disposed only once every blocked item has run: an item still queued would otherwise wait on a disposed event
        // and take the whole test process down.
        using var release = new ManualResetEventSlim();
        using var finished = new CountdownEvent(BlockingWorkItems);
        var oldBefore = Interlocked.Read(ref old.Beats);
        var failuresBefore = Interlocked.Read(ref old.Failures);
        var currentBefore = current.BeatsRecorded;
        try
        {
            for (var i = 0; i < BlockingWorkItems; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static state =>
                {
                    var (gate, done) = ((ManualResetEventSlim, CountdownEvent))state!;
                    gate.Wait();
                    done.Signal();
                }, (release, finished));
            }

            // Synchronous on purpose: this test's own continuations would need the starved pool too.
            currentKeptBeating = SpinWait.SpinUntil(() => current.BeatsRecorded >= currentBefore + BeatsDuringStarvation, TimeSpan.FromSeconds(60));
            oldDuring = Interlocked.Read(ref old.Beats) - oldBefore;
            oldFailuresDuring = Interlocked.Read(ref old.Failures) - failuresBefore;
        }
        finally
        {
            release.Set();
        }

        await Wait.UntilAsync(() => finished.IsSet, TimeSpan.FromSeconds(60), "every blocked work item to run after the release");

        Assert.True(currentKeptBeating, "the heartbeat on its own thread stopped beating while the thread pool was saturated");
        // At most the one beat already past its last await when the pool filled up; none of its deadlines fired either.
        Assert.InRange(oldDuring, 0, 1);
        Assert.Equal(0, oldFailuresDuring);
        Assert.Equal(1, await _database.ScalarAsync<long>("SELECT count(*) FROM browser_workers WHERE metadata->>'workerId' = @p0", current.WorkerId.ToString()));

        // Once the pool has threads again the old loop resumes: a stall, not a crash, which is why it logged nothing.
        var resumedFrom = Interlocked.Read(ref old.Beats);
        await Wait.UntilAsync(() => Interlocked.Read(ref old.Beats) > resumedFrom, TimeSpan.FromSeconds(60), "the old heartbeat to resume");
        await stop.CancelAsync();
        await oldLoop;
        await current.StoppedAsync(CancellationToken.None);
    }

    /// <summary>The heartbeat as it was before it got a thread of its own (commit a7b6de7): an async loop on the shared thread pool.</summary>
    private sealed class ThreadPoolHeartbeat(TestDatabase database, TimeSpan interval)
    {
        private readonly Guid _rowId = Guid.NewGuid();

        public long Beats;

        public long Failures;

        public async Task RunAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                beat.CancelAfter(interval * 2);
                try
                {
                    await using var db = database.CreateDbContext();
                    await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO browser_workers (id, status, last_heartbeat, started_at) VALUES ({_rowId}, 'idle', now(), now())
                        ON CONFLICT (id) DO UPDATE SET last_heartbeat = excluded.last_heartbeat
                        """, beat.Token);
                    Interlocked.Increment(ref Beats);
                }
                catch (Exception) when (!stoppingToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref Failures);
                }

                try
                {
                    await Task.Delay(interval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }
}
