using System.Net;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.Observability;

/// <summary>
/// The probes of the API and the worker as real processes: readiness and /health follow PostgreSQL and RabbitMQ going
/// away and coming back (through the stack's loopback proxies), and a worker whose browser cannot launch is not ready.
/// </summary>
[Collection(HealthStackDefinition.Name)]
public sealed class HealthTests(HealthStackFixture stack)
{
    private static readonly TimeSpan Detection = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Readiness_and_health_turn_503_while_RabbitMQ_is_unreachable_and_200_after()
    {
        await AllAsync(HttpStatusCode.OK, Recovery, "the stack to be ready");
        var health = await BodyAsync(stack.BaseAddress, "/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("ok", health.GetProperty("broker").GetString());
        Assert.True(health.GetProperty("workers").GetProperty("total").GetInt32() >= 1);
        Assert.True(health.GetProperty("browserPool").GetProperty("browsers").GetInt32() >= 1);

        stack.Broker.Disable();
        try
        {
            await AllAsync(HttpStatusCode.ServiceUnavailable, Detection, "readiness to see RabbitMQ gone");
            var down = await BodyAsync(stack.BaseAddress, "/health");
            Assert.Equal("unavailable", down.GetProperty("broker").GetString());
            Assert.Equal("ok", down.GetProperty("database").GetString());
            Assert.Equal("unhealthy", Check(await BodyAsync(stack.WorkerAddress, "/health/ready"), "rabbitmq").GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(stack.WorkerAddress, "/health/live"));
        }
        finally
        {
            stack.Broker.Enable();
        }

        await AllAsync(HttpStatusCode.OK, Recovery, "readiness to see RabbitMQ back");
    }

    [Fact]
    public async Task Readiness_and_health_turn_503_while_PostgreSQL_is_unreachable_and_200_after()
    {
        await AllAsync(HttpStatusCode.OK, Recovery, "the stack to be ready");

        stack.DatabaseLink.Disable();
        try
        {
            await AllAsync(HttpStatusCode.ServiceUnavailable, Detection, "readiness to see PostgreSQL gone");
            var down = await BodyAsync(stack.BaseAddress, "/health");
            Assert.Equal("unavailable", down.GetProperty("database").GetString());
            Assert.Equal(JsonValueKind.Null, down.GetProperty("workers").ValueKind);
            var check = Check(await BodyAsync(stack.BaseAddress, "/health/ready"), "postgresql");
            Assert.Equal("unhealthy", check.GetProperty("status").GetString());
            Assert.DoesNotContain("Password", check.GetRawText(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(stack.BaseAddress, "/health/live"));
        }
        finally
        {
            stack.DatabaseLink.Enable();
        }

        await AllAsync(HttpStatusCode.OK, Recovery, "readiness to see PostgreSQL back");
    }

    [Fact]
    public async Task A_worker_whose_browser_cannot_launch_is_live_but_not_ready()
    {
        var address = new Uri($"http://127.0.0.1:{HealthStackFixture.FreePort()}");
        await using var worker = AppProcess.Start("BrowserAutomation.Worker", stack.HostEnvironment(new()
        {
            ["Worker__Engines"] = "chromium",
            ["CHROMIUM_EXECUTABLE_PATH"] = "/nonexistent/chromium",
            ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/'),
        }));

        JsonElement engine = default;
        await Wait.UntilAsync(async () =>
            {
                if (worker.HasExited)
                {
                    throw new InvalidOperationException("The worker exited:\n" + worker.Tail);
                }

                try
                {
                    engine = Check(await BodyAsync(address, "/health/ready"), "browser-chromium");
                    return engine.GetProperty("description").GetString()!.Contains("launch", StringComparison.OrdinalIgnoreCase)
                           || engine.GetProperty("description").GetString()!.Contains("exist", StringComparison.OrdinalIgnoreCase);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60), "the worker to report its engine:\n" + worker.Tail);

        Assert.Equal("unhealthy", engine.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(address, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(address, "/health/live"));
        var live = await BodyAsync(address, "/health/live");
        Assert.Equal("healthy", live.GetProperty("status").GetString());
        Assert.Empty(live.GetProperty("checks").EnumerateArray());
    }

    private async Task AllAsync(HttpStatusCode expected, TimeSpan timeout, string what) =>
        await Wait.UntilAsync(async () =>
                await StatusAsync(stack.BaseAddress, "/health/ready") == expected
                && await StatusAsync(stack.BaseAddress, "/health") == expected
                && await StatusAsync(stack.WorkerAddress, "/health/ready") == expected,
            timeout, $"{what} ({expected}).\nAPI:\n{stack.Api.Tail}\nWorker:\n{stack.Worker.Tail}");

    private static async Task<HttpStatusCode> StatusAsync(Uri address, string path)
    {
        using var client = StackFixture.CreateClient(address, apiKey: null);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task<JsonElement> BodyAsync(Uri address, string path)
    {
        using var client = StackFixture.CreateClient(address, apiKey: null);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Check(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}

/// <summary>A stack of its own: these tests cut its links, which must not disturb the shared stack's tests.</summary>
public sealed class HealthStackFixture : StackFixture
{
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class HealthStackDefinition : ICollectionFixture<HealthStackFixture>
{
    public const string Name = "health-stack";
}
