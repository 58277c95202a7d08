using System.Diagnostics;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace BrowserAutomation.Bench;

/// <summary>
/// P3: jobs per second through API -> outbox -> RabbitMQ -> worker -> saga with the simulated engine (no browser),
/// closed loop (each client submits, waits for the completed event, submits again), with PostgreSQL transactions and
/// broker messages per job; against raw baselines on the same broker and database in the same run: persistent
/// messages published with confirms and consumed with acks (what MassTransit does per message), and single-row commits.
/// </summary>
internal static class ControlPlaneBench
{
    public static async Task RunAsync(BenchOptions options, BenchContext bench, ResultTable table)
    {
        var typeId = await bench.BrowserTypeAsync("simulated");
        if (typeId is null)
        {
            table.Add("P3", "control plane jobs/s (simulated engine)", "n/a", "-", "-", ">= 500");
            table.Note("P3 needs the API started with SIMULATED_ENGINE_ENABLED=true (SIMULATED_ENGINE_ENABLED=true bash infra/up.sh): no active simulated browser type.");
            return;
        }

        var stats = new InfraStats(bench);
        var jobs = options.ControlPlaneJobs;
        var concurrency = options.ControlPlaneConcurrency;
        await using (var worker = await SimulatedWorker.StartAsync(options.WorkerDll, maxConcurrentJobs: 32, delayMs: options.ControlPlaneDelayMs))
        {
            async Task Job()
            {
                var id = await SubmitWhenLiveAsync(bench, typeId.Value);
                await bench.CompletedAsync(id);
                bench.Forget(id);
            }

            // Warm-up: JIT, connection pools, the worker's first heartbeat.
            await BenchContext.Concurrently(Math.Min(200, jobs / 5), concurrency, async _ => await Job());
            await InfraStats.SettleAsync();
            var commits = await stats.CommitsAsync();
            var broker = await stats.BrokerAsync();
            var apiPid = ProcessTree.ApiPid(options);
            var (apiCpu, workerCpu) = (apiPid is { } a0 ? ProcessTree.CpuMs(a0) : double.NaN, ProcessTree.CpuMs(worker.Pid));
            var (rate, elapsed) = await BenchContext.Concurrently(jobs, concurrency, async _ => await Job());
            apiCpu = (apiPid is { } a1 ? ProcessTree.CpuMs(a1) : double.NaN) - apiCpu;
            workerCpu = ProcessTree.CpuMs(worker.Pid) - workerCpu;
            var commitsPerJob = (await stats.CommitsAsync() - commits) / (double)jobs;
            await InfraStats.SettleAsync();
            var brokerAfter = await stats.BrokerAsync();

            // One at a time after the load, on warm processes (the worker is a new process: the load is its warm-up).
            await ControlPlaneLatency.RunAsync(bench, typeId.Value, options.ControlPlaneLatencyJobs, table);

            var (rawRate, _) = await RawBrokerAsync(bench, Math.Max(2_000, jobs * 2), 16);
            double pgRate;
            try
            {
                pgRate = await RawCommitsAsync(bench, Math.Max(2_000, jobs * 2), 4);
            }
            catch (PostgresException e)
            {
                // A PostgreSQL server shared with other work may have no connection slots left; the service's figures stand.
                pgRate = double.NaN;
                table.Note("P3 raw PostgreSQL baseline not measured: " + e.MessageText);
            }

            table.Add("P3", $"control plane jobs/s, simulated engine, {jobs} jobs, {concurrency} clients ({elapsed.TotalSeconds:0.0} s)",
                BenchContext.F(rate, "0"), $"raw broker {BenchContext.F(rawRate, "0")} msg/s; raw PostgreSQL {BenchContext.F(pgRate, "0")} commits/s",
                $"{BenchContext.F(rate / rawRate, "0.00")} of raw broker", ">= 500 jobs/s");
            table.Add("P3", "CPU per job (ms): API (intake + saga + dispatch) / simulated worker", $"{BenchContext.F(apiCpu / jobs, "0.0")} / {BenchContext.F(workerCpu / jobs, "0.0")}",
                "-", "-", "report");
            table.Add("P3", "PostgreSQL transactions per job (xact_commit, whole database)", BenchContext.F(commitsPerJob, "0.0"), "-", "-", "report");
            table.Add("P3", "broker messages per job (vhost publish / deliver)",
                broker is { } b && brokerAfter is { } a ? $"{BenchContext.F((a.Published - b.Published) / (double)jobs, "0.0")} / {BenchContext.F((a.Delivered - b.Delivered) / (double)jobs, "0.0")}" : "n/a (management API unreachable)",
                "-", "-", "report");
        }
    }

    /// <summary>The API refuses an engine until its first worker's heartbeat lands: retry that refusal briefly.</summary>
    public static async Task<Guid> SubmitWhenLiveAsync(BenchContext bench, int browserTypeId)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await bench.SubmitAsync(bench.Screenshot(browserTypeId));
            }
            catch (InvalidOperationException e) when (attempt < 100 && e.Message.Contains("answered 422", StringComparison.Ordinal))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Persistent messages through a durable queue: publishers await each confirm, one consumer acks with prefetch.</summary>
    private static async Task<(double Rate, TimeSpan Elapsed)> RawBrokerAsync(BenchContext bench, int count, int publishers)
    {
        await using var connection = await bench.Rabbit.CreateConnectionAsync();
        await using var consumerChannel = await connection.CreateChannelAsync();
        var queue = "bench-raw-" + Guid.NewGuid().ToString("N")[..8];
        await consumerChannel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        try
        {
            await consumerChannel.BasicQosAsync(0, 64, false);
            var received = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = new AsyncEventingBasicConsumer(consumerChannel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                await consumerChannel.BasicAckAsync(delivery.DeliveryTag, false);
                if (Interlocked.Increment(ref received) == count)
                {
                    done.TrySetResult();
                }
            };
            await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);

            var body = new byte[600];
            var clock = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, publishers).Select(async _ =>
            {
                await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
                var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
                while (Interlocked.Increment(ref next) < count)
                {
                    await channel.BasicPublishAsync("", queue, true, properties, body);
                }
            }));
            await done.Task.WaitAsync(TimeSpan.FromSeconds(120));
            return (count / clock.Elapsed.TotalSeconds, clock.Elapsed);
        }
        finally
        {
            await consumerChannel.QueueDeleteAsync(queue);
        }
    }

    /// <summary>Single-row INSERT transactions (WAL-logged, like the service's) from several connections.</summary>
    private static async Task<double> RawCommitsAsync(BenchContext bench, int count, int connections)
    {
        var table = "bench_raw_commits_" + Guid.NewGuid().ToString("N")[..8];
        await using var admin = new NpgsqlConnection(bench.Database);
        await admin.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE TABLE {table} (id bigint PRIMARY KEY, body text)", admin))
        {
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
            {
                await using var connection = new NpgsqlConnection(bench.Database);
                await connection.OpenAsync();
                await using var insert = new NpgsqlCommand($"INSERT INTO {table} VALUES ($1, $2)", connection);
                insert.Parameters.Add(new NpgsqlParameter<long>());
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = new string('x', 200) });
                int index;
                while ((index = Interlocked.Increment(ref next)) < count)
                {
                    ((NpgsqlParameter<long>)insert.Parameters[0]).TypedValue = index;
                    await insert.ExecuteNonQueryAsync();
                }
            }));
            return count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await using var drop = new NpgsqlCommand($"DROP TABLE {table}", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
