using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>A fresh RabbitMQ virtual host for one fixture (created and deleted through the management API on loopback).</summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    readonly HttpClient _http;

    TestVirtualHost(string name, HttpClient http)
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

    public async ValueTask DisposeAsync()
    {
        using var _ = await _http.DeleteAsync($"vhosts/{Name}");
        _http.Dispose();
    }

    sealed record QueueInfo(string Name);
}
