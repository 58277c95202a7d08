using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A fresh RabbitMQ virtual host for one fixture (created and deleted through the management API on loopback).</summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _http;

    private TestVirtualHost(string name, HttpClient http)
    {
        Name = name;
        _http = http;
    }

    public string Name { get; }

    public static async Task<TestVirtualHost> CreateAsync()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{TestSettings.RabbitManagementPort}/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestSettings.RabbitUser}:{TestSettings.RabbitPassword}")));

        var vhost = new TestVirtualHost($"ba-test-{Guid.NewGuid():N}"[..20], http);
        (await http.PutAsync($"vhosts/{vhost.Name}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"permissions/{vhost.Name}/{TestSettings.RabbitUser}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return vhost;
    }

    /// <summary>Queue names in this vhost (the management API's view).</summary>
    public async Task<IReadOnlyList<string>> QueueNamesAsync()
    {
        var queues = await _http.GetFromJsonAsync<List<QueueInfo>>($"queues/{Name}") ?? [];
        return queues.Select(q => q.Name).ToList();
    }

    /// <summary>Binds a new queue to an exchange, so a test can read what was published there as it travelled.</summary>
    public async Task<string> TapAsync(string exchange, string routingKey)
    {
        var queue = $"tap-{Guid.NewGuid():N}"[..16];
        (await _http.PutAsJsonAsync($"queues/{Name}/{queue}", new { durable = false, auto_delete = false })).EnsureSuccessStatusCode();
        (await _http.PostAsJsonAsync($"bindings/{Name}/e/{exchange}/q/{queue}", new { routing_key = routingKey })).EnsureSuccessStatusCode();
        return queue;
    }

    /// <summary>Takes up to <paramref name="count"/> messages off a queue and returns their bodies as text.</summary>
    public async Task<IReadOnlyList<string>> TakeAsync(string queue, int count = 100)
    {
        using var response = await _http.PostAsJsonAsync($"queues/{Name}/{queue}/get",
            new { count, ackmode = "ack_requeue_false", encoding = "auto", truncate = 1_000_000 });
        response.EnsureSuccessStatusCode();
        var messages = await response.Content.ReadFromJsonAsync<List<TappedMessage>>() ?? [];
        return messages.Select(m => m.Payload).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        using var _ = await _http.DeleteAsync($"vhosts/{Name}");
        _http.Dispose();
    }

    private sealed record QueueInfo(string Name);

    private sealed record TappedMessage(string Payload);
}
