using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BrowserAutomation.IntegrationTests.Persistence.Messaging;

/// <summary>JobRequested routing through the outbox to the per-engine queues.</summary>
public sealed class RoutingTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestVirtualHost _vhost = null!;
    private IHost _host = null!;
    private readonly EngineCollectors _collectors = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _vhost = await TestVirtualHost.CreateAsync();
        _host = TestHosts.Create(_database, _vhost,
            x =>
            {
                x.AddConsumer<ChromiumQueueConsumer>();
                x.AddConsumer<FirefoxQueueConsumer>();
            },
            (context, cfg) =>
            {
                cfg.ReceiveEndpoint(BusTopology.EngineQueue("chromium"), e =>
                {
                    e.ConfigureEngineQueue("chromium");
                    e.ConfigureConsumer<ChromiumQueueConsumer>(context);
                });
                cfg.ReceiveEndpoint(BusTopology.EngineQueue("firefox"), e =>
                {
                    e.ConfigureEngineQueue("firefox");
                    e.ConfigureConsumer<FirefoxQueueConsumer>(context);
                });
            },
            services: s => s.AddSingleton(_collectors));
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_chromium_job_reaches_only_jobs_chromium_with_routing_key_and_priority_intact()
    {
        var chromiumJob = Job("chromium", priority: 7);
        var firefoxMarker = Job("firefox", priority: 0);

        await PublishThroughOutboxAsync(chromiumJob);
        await _collectors.Chromium.WaitForAsync(m => m.JobId == chromiumJob.JobId, "the chromium job on jobs-chromium");
        await PublishThroughOutboxAsync(firefoxMarker);
        await _collectors.Firefox.WaitForAsync(m => m.JobId == firefoxMarker.JobId, "the firefox marker on jobs-firefox");

        var received = Assert.Single(_collectors.Chromium.All);
        Assert.Equal("chromium", received.RoutingKey);
        Assert.Equal((byte)7, received.Priority);
        Assert.DoesNotContain(_collectors.Firefox.All, r => r.Message.JobId == chromiumJob.JobId);
        Assert.Single(_collectors.Firefox.All);
    }

    [Fact]
    public async Task Engine_queues_are_durable_priority_queues_bound_to_the_direct_exchange()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{TestSettings.RabbitManagementPort}/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestSettings.RabbitUser}:{TestSettings.RabbitPassword}")));

        var queue = await http.GetFromJsonAsync<JsonElement>($"queues/{_vhost.Name}/jobs-chromium");
        Assert.True(queue.GetProperty("durable").GetBoolean());
        Assert.Equal(10, queue.GetProperty("arguments").GetProperty("x-max-priority").GetInt32());

        var exchange = await http.GetFromJsonAsync<JsonElement>($"exchanges/{_vhost.Name}/{BusTopology.JobRequestedExchange}");
        Assert.Equal("direct", exchange.GetProperty("type").GetString());

        var bindings = await http.GetFromJsonAsync<JsonElement>($"exchanges/{_vhost.Name}/{BusTopology.JobRequestedExchange}/bindings/source");
        Assert.Contains(bindings.EnumerateArray(), b => b.GetProperty("routing_key").GetString() == "chromium");
        Assert.Contains(bindings.EnumerateArray(), b => b.GetProperty("routing_key").GetString() == "firefox");
    }

    private async Task PublishThroughOutboxAsync(JobRequested job)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().PublishJobRequested(job);
        await db.SaveChangesAsync();
    }

    private static JobRequested Job(string engine, int priority) => new()
    {
        JobId = Guid.NewGuid(),
        Attempt = 1,
        BrowserTypeId = engine == "chromium" ? 1 : 2,
        Engine = engine,
        TargetUrl = "http://127.0.0.1/",
        Actions = [],
        Priority = priority,
    };
}

public sealed class EngineCollectors
{
    public MessageCollector<JobRequested> Chromium { get; } = new();

    public MessageCollector<JobRequested> Firefox { get; } = new();
}

public sealed class ChromiumQueueConsumer(EngineCollectors collectors) : IConsumer<JobRequested>
{
    public Task Consume(ConsumeContext<JobRequested> context)
    {
        collectors.Chromium.Add(context);
        return Task.CompletedTask;
    }
}

public sealed class FirefoxQueueConsumer(EngineCollectors collectors) : IConsumer<JobRequested>
{
    public Task Consume(ConsumeContext<JobRequested> context)
    {
        collectors.Firefox.Add(context);
        return Task.CompletedTask;
    }
}
