using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.Bench;

/// <summary>
/// P4: POST /api/v1/jobs from N concurrent connections while the workers are paused, and the batch endpoint when the
/// API has one. "Paused" = the jobs go to the simulated engine, whose only worker (started here) holds one job for ten
/// minutes: the engine is served, so the API admits the jobs, and they wait in the queue. Every job created is
/// cancelled afterwards, so the backlog does not outlive the run.
/// </summary>
internal static class HttpLoadBench
{
    public static async Task RunAsync(BenchOptions options, BenchContext bench, ResultTable table)
    {
        var typeId = await bench.BrowserTypeAsync("simulated");
        if (typeId is null)
        {
            table.Add("P4", "POST /api/v1/jobs, workers paused", "n/a", "-", "-", ">= 1,500 req/s, p99 <= 50 ms");
            table.Note("P4 needs the API started with SIMULATED_ENGINE_ENABLED=true (see P3).");
            return;
        }

        var created = new ConcurrentBag<Guid>();
        await using (var paused = await SimulatedWorker.StartAsync(options.WorkerDll, maxConcurrentJobs: 1, delayMs: 600_000))
        {
            created.Add(await ControlPlaneBench.SubmitWhenLiveAsync(bench, typeId.Value));
            var body = bench.Screenshot(typeId.Value);
            // Warm-up: connections, JIT.
            await BenchContext.Concurrently(200, options.LoadConcurrency, async _ => created.Add(await bench.SubmitAsync(body)));

            var latencies = new ConcurrentBag<double>();
            var refused = new ConcurrentDictionary<int, int>();
            var apiPid = ProcessTree.ApiPid(options);
            var before = CpuAccount.Take(apiPid, workerPid: null);
            var (rate, elapsed) = await BenchContext.Concurrently(options.LoadRequests, options.LoadConcurrency, async _ =>
            {
                var clock = Stopwatch.StartNew();
                using var response = await bench.Http.PostAsJsonAsync("/api/v1/jobs", body);
                var text = await response.Content.ReadAsStringAsync();
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    created.Add(JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetGuid());
                }
                else
                {
                    refused.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                }
            });
            var cpu = CpuAccount.Take(apiPid, workerPid: null).PerJob(before, options.LoadRequests);
            var all = latencies.ToList();
            table.Add("P4", $"POST /api/v1/jobs, workers paused, concurrency {options.LoadConcurrency}, {options.LoadRequests} requests ({elapsed.TotalSeconds:0.0} s): req/s, p50 / p99 ms",
                $"{BenchContext.F(rate, "0")} req/s, {BenchContext.F(BenchContext.P(all, 50), "0.0")} / {BenchContext.F(BenchContext.P(all, 99), "0.0")}",
                "-", "-", ">= 1,500 req/s, p99 <= 50 ms");
            // On 2 cores the intake is bound by what each request costs all processes together.
            table.Note($"P4 CPU per request (ms): {CpuAccount.FormatAs(cpu, "0.00", "api", "postgres", "rabbitmq", "bench")}, rest of the machine "
                       + $"{cpu["browsers"].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}.");
            if (!refused.IsEmpty)
            {
                table.Note("P4 non-202 answers: " + string.Join(", ", refused.Select(r => $"{r.Key} x{r.Value}"))
                           + " (503 = QUEUE_MAX_DEPTH_PER_ENGINE reached: start the API with QUEUE_MAX_DEPTH_PER_ENGINE=1000000 for the bench).");
            }

            // Warm-up: the batch path's first requests run mostly in the JIT, not in the steady state measured here.
            await BatchAsync(bench, body, created, requests: 3);
            before = CpuAccount.Take(apiPid, workerPid: null);
            var (batchRate, batchJobs) = await BatchAsync(bench, body, created, Math.Max(1, options.BatchJobs / 1_000));
            table.Add("P4", "POST /api/v1/jobs/batch (1,000 jobs per request): jobs/s", batchRate, "-", "-", ">= 10,000 jobs/s");
            if (batchJobs > 0)
            {
                cpu = CpuAccount.Take(apiPid, workerPid: null).PerJob(before, batchJobs);
                table.Note($"P4 batch CPU per job (ms): {CpuAccount.FormatAs(cpu, "0.000", "api", "postgres", "rabbitmq", "bench")}, rest of the machine "
                           + $"{cpu["browsers"].ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}.");
            }
        }

        // Cancel the backlog this part created.
        var ids = created.ToArray();
        await BenchContext.Concurrently(ids.Length, 16, async i =>
        {
            using var _ = await bench.Http.DeleteAsync($"/api/v1/jobs/{ids[i]}");
        });
    }

    private static async Task<(string Rate, int Jobs)> BatchAsync(BenchContext bench, object body, ConcurrentBag<Guid> created, int requests)
    {
        var batch = new { jobs = Enumerable.Repeat(body, 1_000).ToArray() };
        var clock = Stopwatch.StartNew();
        var accepted = 0;
        for (var i = 0; i < requests; i++)
        {
            using var response = await bench.Http.PostAsJsonAsync("/api/v1/jobs/batch", batch);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                return ("n/a (no batch endpoint)", 0);
            }

            if (!response.IsSuccessStatusCode)
            {
                return ($"n/a (batch answered {(int)response.StatusCode}: {text[..Math.Min(120, text.Length)]})", 0);
            }

            foreach (var id in JobIds(JsonDocument.Parse(text).RootElement))
            {
                created.Add(id);
                accepted++;
            }
        }

        return ($"{BenchContext.F(accepted / clock.Elapsed.TotalSeconds, "0")} jobs/s ({accepted} jobs in {requests} requests)", accepted);
    }

    /// <summary>Every "jobId" anywhere in the batch's answer (its exact shape belongs to the batch endpoint).</summary>
    private static IEnumerable<Guid> JobIds(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "jobId" && property.Value.ValueKind == JsonValueKind.String && property.Value.TryGetGuid(out var id))
                {
                    yield return id;
                }
                else
                {
                    foreach (var inner in JobIds(property.Value))
                    {
                        yield return inner;
                    }
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in JobIds(item))
                {
                    yield return inner;
                }
            }
        }
    }
}
