// Measures the service against a hand-written Playwright loop on the same machine, page and browser binary.
//   latency:    one job at a time; time from POST returning to the job's "completed" status event, minus the
//               time the worker's Playwright spent on the job (result.duration). Target: within 100 ms.
//   throughput: N concurrent clients for a fixed number of jobs, versus the raw loop at the same concurrency.
// Completion is observed by subscribing to the job-status-changed exchange (push), never by polling.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

if (args.Contains("--pool-soak"))
{
    return await BrowserAutomation.Bench.PoolSoak.RunAsync(args);
}

var api = Arg("--api", "http://127.0.0.1:3000");
var jobs = int.Parse(Arg("--jobs", "40"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Arg("--concurrency", "4"), CultureInfo.InvariantCulture);
var chromium = Arg("--chromium", "/usr/lib/chromium/chromium-headless-shell");
var rabbitPort = int.Parse(Env("RABBITMQ_PORT", "5672"), CultureInfo.InvariantCulture);
var vhost = Env("RABBITMQ_VHOST", "/");

// The page every run visits, served on loopback by this process.
var site = WebApplication.CreateSlimBuilder();
site.Logging.ClearProviders();
site.WebHost.UseUrls("http://127.0.0.1:0");
var siteApp = site.Build();
siteApp.MapGet("/page", () => Results.Content(
    "<html><head><title>Bench</title></head><body style='font:16px sans-serif;background:#eef'>" +
    string.Concat(Enumerable.Range(0, 40).Select(i => $"<p>Paragraph {i}: the quick brown fox jumps over the lazy dog.</p>")) +
    "</body></html>", "text/html"));
await siteApp.StartAsync();
var pageUrl = siteApp.Urls.First() + "/page";

Console.WriteLine($"Benchmark: {jobs} jobs, concurrency {concurrency}, page {pageUrl}, API {api}");
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeVersion()}");

// 1. The raw loop: one long-lived browser, a fresh context per job, as a careful hand-written script would do.
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = chromium,
    Args = ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
});

async Task<double> RawJob()
{
    var clock = Stopwatch.StartNew();
    await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
    var page = await context.NewPageAsync();
    await page.GotoAsync(pageUrl, new() { WaitUntil = WaitUntilState.Load });
    await page.ScreenshotAsync(new() { Type = ScreenshotType.Png });
    return clock.Elapsed.TotalMilliseconds;
}

for (var i = 0; i < 5; i++)
{
    await RawJob();
}

var rawSequential = new List<double>();
for (var i = 0; i < jobs; i++)
{
    rawSequential.Add(await RawJob());
}

var (rawRate, _) = await Concurrently(jobs, concurrency, async _ => await RawJob());

// 2. The service.
using var http = new HttpClient { BaseAddress = new Uri(api) };
// BA_API_KEY, else the local bootstrap admin key (infra/env.sh); for runs beyond RATE_LIMIT_MAX jobs a minute, create a
// key with --rate-limit and --max-concurrent-jobs (README, "Measured").
http.DefaultRequestHeaders.Add("X-API-Key", Env("BA_API_KEY", Env("API_BOOTSTRAP_ADMIN_KEY", "")));
var completions = new ConcurrentDictionary<Guid, TaskCompletionSource<DateTime>>();
var factory = new ConnectionFactory { HostName = Env("RABBITMQ_HOST", "127.0.0.1"), Port = rabbitPort, VirtualHost = vhost,
    UserName = Env("RABBITMQ_USERNAME", "guest"), Password = Env("RABBITMQ_PASSWORD", "guest") };
await using var connection = await factory.CreateConnectionAsync();
await using var channel = await connection.CreateChannelAsync();
await channel.ExchangeDeclareAsync("job-status-changed", ExchangeType.Fanout, durable: true);
var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
await channel.QueueBindAsync(queue, "job-status-changed", "");
var consumer = new AsyncEventingBasicConsumer(channel);
consumer.ReceivedAsync += (_, delivery) =>
{
    var at = DateTime.UtcNow;
    var message = JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span)).RootElement.GetProperty("message");
    if (message.GetProperty("status").GetString() is "completed" or "failed")
    {
        completions.GetOrAdd(message.GetProperty("jobId").GetGuid(), _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(at);
    }

    return Task.CompletedTask;
};
await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

async Task<(double Wall, double Playwright)> ServiceJob()
{
    using var response = await http.PostAsJsonAsync("/api/v1/jobs", new
    {
        browserTypeId = 1, actionType = "screenshot", payload = new { url = pageUrl, viewport = new { width = 1280, height = 720 } },
    });
    response.EnsureSuccessStatusCode();
    var posted = DateTime.UtcNow;
    var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
    var done = await completions.GetOrAdd(jobId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(60));
    var job = await http.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}");
    if (job.GetProperty("status").GetString() != "completed")
    {
        throw new InvalidOperationException($"job {jobId} ended {job.GetProperty("status")}: {job.GetProperty("error")}");
    }

    return ((done - posted).TotalMilliseconds, job.GetProperty("result").GetProperty("duration").GetDouble());
}

for (var i = 0; i < 5; i++)
{
    await ServiceJob();
}

var service = new List<(double Wall, double Playwright)>();
for (var i = 0; i < jobs; i++)
{
    service.Add(await ServiceJob());
}

var (serviceRate, _) = await Concurrently(jobs, concurrency, async _ => await ServiceJob());

var overhead = service.Select(s => s.Wall - s.Playwright).ToList();
Console.WriteLine();
Console.WriteLine("| measure | p50 | p95 |");
Console.WriteLine("|---|---|---|");
Console.WriteLine($"| raw Playwright loop, one job (ms) | {P(rawSequential, 50):0} | {P(rawSequential, 95):0} |");
Console.WriteLine($"| service: POST returned -> completed event (ms) | {P(service.Select(s => s.Wall).ToList(), 50):0} | {P(service.Select(s => s.Wall).ToList(), 95):0} |");
Console.WriteLine($"| service: Playwright time inside the worker (ms) | {P(service.Select(s => s.Playwright).ToList(), 50):0} | {P(service.Select(s => s.Playwright).ToList(), 95):0} |");
Console.WriteLine($"| service overhead beyond Playwright (ms, target <= 100) | {P(overhead, 50):0} | {P(overhead, 95):0} |");
Console.WriteLine();
Console.WriteLine($"Throughput at concurrency {concurrency}: raw loop {rawRate:0.00} jobs/s, service {serviceRate:0.00} jobs/s ({serviceRate / rawRate:P0} of raw)");

await siteApp.StopAsync();
return 0;

static async Task<(double Rate, TimeSpan Elapsed)> Concurrently(int count, int parallel, Func<int, Task> job)
{
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) < count)
        {
            await job(next);
        }
    }));
    return (count / clock.Elapsed.TotalSeconds, clock.Elapsed);
}

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}

string Arg(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;

static string RuntimeVersion() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
