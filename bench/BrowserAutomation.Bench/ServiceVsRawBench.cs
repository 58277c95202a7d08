using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace BrowserAutomation.Bench;

/// <summary>
/// P1, P2 and P2b: the service against a hand-written Playwright loop (one long-lived browser, a fresh context per job,
/// goto + 1280×720 PNG) on the same page, browser binary and machine, measured in the same run.
/// </summary>
internal static class ServiceVsRawBench
{
    public static async Task RunAsync(BenchOptions options, BenchContext bench, ResultTable table)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = options.Chromium,
            Args = ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
        });

        async Task<double> RawJob()
        {
            var clock = Stopwatch.StartNew();
            await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync(bench.PageUrl, new() { WaitUntil = WaitUntilState.Load });
            await page.ScreenshotAsync(new() { Type = ScreenshotType.Png });
            return clock.Elapsed.TotalMilliseconds;
        }

        // The job's path as the client saw it, with the Playwright time inside the worker.
        async Task<ControlPlaneLatency.Sample> ServiceJob()
        {
            var sent = DateTime.UtcNow;
            var jobId = await bench.SubmitAsync(bench.Screenshot(1));
            var posted = DateTime.UtcNow;
            var done = await bench.CompletedAsync(jobId);
            bench.Forget(jobId);
            var job = await bench.Http.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}");
            if (job.GetProperty("status").GetString() != "completed")
            {
                throw new InvalidOperationException($"job {jobId} ended {job.GetProperty("status")}: {job.GetProperty("error")}");
            }

            return new ControlPlaneLatency.Sample(jobId, sent, posted, done, job.GetProperty("result").GetProperty("duration").GetDouble());
        }

        // Warm-up, the same on both sides: the first few hundred jobs of a freshly started API and worker cost up to
        // twice the CPU of later ones (the runtime re-compiles hot methods with full optimisation in the background),
        // which on 2 cores is taken from the browsers. The table is about the steady state a service runs in.
        for (var i = 0; i < 5; i++)
        {
            await RawJob();
            await ServiceJob();
        }

        await BenchContext.Concurrently(options.WarmupJobs, 4, async _ => await RawJob());
        await BenchContext.Concurrently(options.WarmupJobs, 4, async _ => await ServiceJob());

        if (options.Runs("P2"))
        {
            // Alternating one raw and one service job keeps machine drift out of the comparison.
            var raw = new List<double>();
            var service = new List<ControlPlaneLatency.Sample>();
            for (var i = 0; i < options.LatencyJobs; i++)
            {
                raw.Add(await RawJob());
                service.Add(await ServiceJob());
            }

            var pipeline = service.Select(s => (s.Done - s.Returned).TotalMilliseconds - s.ExecutionMs).ToList();
            var endToEnd = service.Select(s => (s.Done - s.Sent).TotalMilliseconds).ToList();
            table.Add("P2", "pipeline time per job: POST returned -> completed event, minus the worker's Playwright time (ms, p50 / p95)",
                $"{BenchContext.F(BenchContext.P(pipeline, 50), "0")} / {BenchContext.F(BenchContext.P(pipeline, 95), "0")}",
                $"Playwright inside the worker {BenchContext.F(BenchContext.P(service.Select(s => s.ExecutionMs).ToList(), 50), "0")} ms p50", "-",
                "p50 <= 15, p95 <= 30");
            var rawP50 = BenchContext.P(raw, 50);
            var serviceP50 = BenchContext.P(endToEnd, 50);
            table.Add("P2b", "one job end to end: POST sent -> completed event (ms, p50 / p95)",
                $"{BenchContext.F(serviceP50, "0")} / {BenchContext.F(BenchContext.P(endToEnd, 95), "0")}",
                $"raw loop {BenchContext.F(rawP50, "0")} / {BenchContext.F(BenchContext.P(raw, 95), "0")}",
                BenchContext.F(serviceP50 / rawP50, "0.00"), "<= 1.0");
            await ControlPlaneLatency.AddHopRowsAsync(bench, "P2", service, table);
        }

        if (options.Runs("P1"))
        {
            var apiPid = ProcessTree.ApiPid(options);
            var workerPid = await ProcessTree.WorkerPidAsync(options, bench);
            foreach (var concurrency in options.Concurrencies)
            {
                var start = CpuAccount.Take(apiPid, workerPid);
                var (rawRate, _) = await BenchContext.Concurrently(options.ThroughputJobs, concurrency, async _ => await RawJob());
                var middle = CpuAccount.Take(apiPid, workerPid);
                var (serviceRate, _) = await BenchContext.Concurrently(options.ThroughputJobs, concurrency, async _ => await ServiceJob());
                var end = CpuAccount.Take(apiPid, workerPid);
                table.Add("P1", $"jobs/s at concurrency {concurrency} ({options.ThroughputJobs} jobs)", BenchContext.F(serviceRate, "0.00"),
                    $"raw loop {BenchContext.F(rawRate, "0.00")}", BenchContext.F(serviceRate / rawRate, "0.00"), ">= 0.9");

                // Where the CPU went: on a saturated machine the pipeline's share is what the browsers lose.
                var service = end.PerJob(middle, options.ThroughputJobs);
                var raw = middle.PerJob(start, options.ThroughputJobs);
                var pipeline = service["worker"] + service["api"] + service["postgres"] + service["rabbitmq"];
                table.Add("P1", $"CPU per job at concurrency {concurrency} (ms): browsers (the rest of the machine), driver, worker, API, PostgreSQL, RabbitMQ, bench client",
                    CpuAccount.Format(service, "browsers", "driver", "worker", "api", "postgres", "rabbitmq", "bench"),
                    $"raw loop: {CpuAccount.Format(raw, "browsers", "raw driver", "bench")}",
                    $"pipeline {BenchContext.F(pipeline / Math.Max(1, service["browsers"]), "0.00")} of browsers", "report");
            }
        }
    }
}
