using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace BrowserAutomation.Bench;

/// <summary>
/// Counters of the infrastructure around a measured stretch: PostgreSQL's committed transactions of the stack's
/// database (pg_stat_database) and RabbitMQ's message statistics of its virtual host (management API on loopback).
/// </summary>
internal sealed class InfraStats(BenchContext bench)
{
    private readonly HttpClient _management = CreateManagementClient();

    public async Task<long> CommitsAsync()
    {
        await using var connection = new NpgsqlConnection(bench.Database);
        await connection.OpenAsync();
        // The statistics snapshot is cached per transaction: clear it so the figure is current.
        await using (var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection))
        {
            await clear.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<long> DatabaseBytesAsync()
    {
        await using var connection = new NpgsqlConnection(bench.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Bytes of each of the job tables (with indexes and TOAST).</summary>
    public async Task<Dictionary<string, long>> TableBytesAsync()
    {
        await using var connection = new NpgsqlConnection(bench.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname = 'public'
            """, connection);
        var sizes = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sizes[reader.GetString(0)] = reader.GetInt64(1);
        }

        return sizes;
    }

    /// <summary>Messages published into and delivered out of the vhost so far (null when the management API is unreachable).</summary>
    public async Task<(long Published, long Delivered)?> BrokerAsync()
    {
        try
        {
            var vhost = Uri.EscapeDataString(bench.Rabbit.VirtualHost);
            var overview = await _management.GetFromJsonAsync<JsonElement>($"/api/vhosts/{vhost}");
            if (!overview.TryGetProperty("message_stats", out var stats))
            {
                return (0, 0);
            }

            return (Count(stats, "publish"), Count(stats, "deliver_get"));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>RabbitMQ emits statistics every few seconds: wait for the figures of a stretch that just ended to settle.</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(6));

    private static long Count(JsonElement stats, string name) => stats.TryGetProperty(name, out var value) ? value.GetInt64() : 0;

    private static HttpClient CreateManagementClient()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{BenchOptions.Env("RABBITMQ_MANAGEMENT_PORT", "15672")}") };
        var user = BenchOptions.Env("RABBITMQ_USERNAME", "guest");
        var password = BenchOptions.Env("RABBITMQ_PASSWORD", "guest");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }
}
