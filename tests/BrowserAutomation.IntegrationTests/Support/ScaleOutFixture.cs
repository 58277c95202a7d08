using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>
/// Two API copies and two Chromium workers as separate processes on separate ports, sharing one database and one
/// RabbitMQ virtual host (reached through the stack's <see cref="TcpProxy"/>, which tests cut). Copy A and worker A
/// are a <see cref="StackFixture"/>'s; copy B and worker B are started beside them with the same settings.
/// </summary>
public sealed class ScaleOutFixture : IAsyncLifetime
{
    public StackFixture Stack { get; } = new();

    public AppProcess ApiB { get; private set; } = null!;

    public Uri ApiBAddress { get; private set; } = null!;

    public AppProcess WorkerB { get; private set; } = null!;

    /// <summary>Admin clients of copy A and copy B.</summary>
    public IReadOnlyList<HttpClient> Apis { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Stack.InitializeAsync();
        (ApiB, ApiBAddress) = await Stack.StartExtraApiAsync(new Dictionary<string, string>());
        Apis = [Stack.Http, StackFixture.CreateClient(ApiBAddress, Stack.BootstrapAdminKey)];
        await StartWorkerBAsync();
    }

    /// <summary>Clients of copy A and copy B with <paramref name="key"/>.</summary>
    public IReadOnlyList<HttpClient> ClientsFor(string key) =>
        [StackFixture.CreateClient(Stack.BaseAddress, key), StackFixture.CreateClient(ApiBAddress, key)];

    /// <summary>SIGKILLs worker B (no shutdown code runs) and starts a fresh one in its place.</summary>
    public async Task KillAndRestartWorkerBAsync()
    {
        await WorkerB.KillAsync();
        await WorkerB.DisposeAsync();
        await StartWorkerBAsync();
    }

    private async Task StartWorkerBAsync()
    {
        var address = $"http://127.0.0.1:{FreePort()}";
        WorkerB = AppProcess.Start("BrowserAutomation.Worker", Stack.HostEnvironment(new()
        {
            ["Worker__Engines"] = "chromium",
            ["Worker__HeartbeatIntervalMs"] = "500",
            ["ASPNETCORE_URLS"] = address,
        }));
        await Wait.UntilAsync(async () =>
            {
                if (WorkerB.HasExited)
                {
                    throw new InvalidOperationException("Worker B exited:\n" + WorkerB.Tail);
                }

                var workers = await Stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/workers", UriKind.Relative));
                return workers.GetProperty("data").EnumerateArray().Any(w =>
                    w.GetProperty("status").GetString() != "offline" && w.GetProperty("metadata").ValueKind == JsonValueKind.Object
                    && w.GetProperty("metadata").GetProperty("pid").GetInt32() == WorkerB.Id);
            },
            TimeSpan.FromSeconds(120), "worker B to register:\n" + WorkerB.Tail);
    }

    /// <summary>Diagnostics of all four processes, for failure messages.</summary>
    public string Tails => string.Join("\n", new[] { ("API A", Stack.Api), ("API B", ApiB), ("worker A", Stack.Worker), ("worker B", WorkerB) }
        .Select(p => $"--- {p.Item1} (pid {p.Item2?.Id.ToString(CultureInfo.InvariantCulture)}):\n{p.Item2?.Tail}"));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (Apis.Count > 1)
        {
            Apis[1].Dispose();
        }

        if (WorkerB is not null)
        {
            await WorkerB.DisposeAsync();
        }

        if (ApiB is not null)
        {
            await ApiB.DisposeAsync();
        }

        await Stack.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ScaleOutDefinition : ICollectionFixture<ScaleOutFixture>
{
    public const string Name = "scale-out";
}
