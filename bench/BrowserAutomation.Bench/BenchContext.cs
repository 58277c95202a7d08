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
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace BrowserAutomation.Bench;

/// <summary>
/// What every part shares: the page jobs visit (served on loopback by this process), a client for the API, and the
/// completions pushed on the job-status-changed exchange (never polled).
/// </summary>
internal sealed class BenchContext : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<DateTime>> _completions = new();
    private WebApplication _site = null!;
    private IConnection _connection = null!;
    private IChannel _channel = null!;

    public HttpClient Http { get; private set; } = null!;

    public string PageUrl { get; private set; } = "";

    public ConnectionFactory Rabbit { get; } = new()
    {
        HostName = BenchOptions.Env("RABBITMQ_HOST", "127.0.0.1"),
        Port = int.Parse(BenchOptions.Env("RABBITMQ_PORT", "5672"), CultureInfo.InvariantCulture),
        VirtualHost = BenchOptions.Env("RABBITMQ_VHOST", "/"),
        UserName = BenchOptions.Env("RABBITMQ_USERNAME", "guest"),
        Password = BenchOptions.Env("RABBITMQ_PASSWORD", "guest"),
    };

    public string Database { get; } = new NpgsqlConnectionStringBuilder
    {
        Host = BenchOptions.Env("DB_HOST", "127.0.0.1"),
        Port = int.Parse(BenchOptions.Env("DB_PORT", "5432"), CultureInfo.InvariantCulture),
        Username = BenchOptions.Env("DB_USERNAME", "automation_user"),
        Password = BenchOptions.Env("DB_PASSWORD", "automation_pass"),
        Database = BenchOptions.Env("DB_DATABASE", "browser_automation"),
    }.ConnectionString;

    public static async Task<BenchContext> StartAsync(BenchOptions options)
    {
        var context = new BenchContext();
        var site = WebApplication.CreateSlimBuilder();
        site.Logging.ClearProviders();
        site.WebHost.UseUrls("http://127.0.0.1:0");
        context._site = site.Build();
        context._site.MapGet("/page", () => Results.Content(
            "<html><head><title>Bench</title></head><body style='font:16px sans-serif;background:#eef'>" +
            string.Concat(Enumerable.Range(0, 40).Select(i => $"<p>Paragraph {i}: the quick brown fox jumps over the lazy dog.</p>")) +
            "</body></html>", "text/html"));
        await context._site.StartAsync();
        context.PageUrl = context._site.Urls.First() + "/page";

        context.Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = new Uri(options.Api) };
        // BA_API_KEY (bench/run.sh creates one without rate or concurrency limits), else the local bootstrap admin key.
        context.Http.DefaultRequestHeaders.Add("X-API-Key", BenchOptions.Env("BA_API_KEY", BenchOptions.Env("API_BOOTSTRAP_ADMIN_KEY", "")));

        context._connection = await context.Rabbit.CreateConnectionAsync();
        context._channel = await context._connection.CreateChannelAsync();
        await context._channel.ExchangeDeclareAsync("job-status-changed", ExchangeType.Fanout, durable: true);
        var queue = (await context._channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await context._channel.QueueBindAsync(queue, "job-status-changed", "");
        var consumer = new AsyncEventingBasicConsumer(context._channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var at = DateTime.UtcNow;
            var message = JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span)).RootElement.GetProperty("message");
            if (message.GetProperty("status").GetString() is "completed" or "failed" or "cancelled")
            {
                context.Completion(message.GetProperty("jobId").GetGuid()).TrySetResult(at);
            }

            return Task.CompletedTask;
        };
        await context._channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return context;
    }

    /// <summary>The moment the job's final status event arrived.</summary>
    public Task<DateTime> CompletedAsync(Guid jobId) => Completion(jobId).Task.WaitAsync(TimeSpan.FromSeconds(120));

    public void Forget(Guid jobId) => _completions.TryRemove(jobId, out _);

    /// <summary>Submits a job and returns its id; throws with the API's answer when it is not 202.</summary>
    public async Task<Guid> SubmitAsync(object body)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/jobs", body);
        if ((int)response.StatusCode != 202)
        {
            throw new InvalidOperationException($"POST /api/v1/jobs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
    }

    public object Screenshot(int browserTypeId) => new
    {
        browserTypeId, actionType = "screenshot", payload = new { url = PageUrl, viewport = new { width = 1280, height = 720 } },
    };

    /// <summary>The id of the first active browser type of <paramref name="engine"/>, or null.</summary>
    public async Task<int?> BrowserTypeAsync(string engine)
    {
        var browsers = await Http.GetFromJsonAsync<JsonElement>("/api/v1/browsers");
        return browsers.GetProperty("data").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == engine && b.GetProperty("isActive").GetBoolean())
            .Select(b => (int?)b.GetProperty("id").GetInt32()).FirstOrDefault();
    }

    public static async Task<(double Rate, TimeSpan Elapsed)> Concurrently(int count, int parallel, Func<int, Task> job)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                await job(index);
            }
        }));
        return (count / clock.Elapsed.TotalSeconds, clock.Elapsed);
    }

    public static double P(IReadOnlyCollection<double> values, int percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1))];
    }

    public static string F(double value, string format = "0.0") => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
        await _site.StopAsync();
        await _site.DisposeAsync();
    }

    private TaskCompletionSource<DateTime> Completion(Guid jobId) =>
        _completions.GetOrAdd(jobId, _ => new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously));
}
