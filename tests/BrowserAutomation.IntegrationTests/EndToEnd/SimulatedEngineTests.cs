using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BrowserAutomation.IntegrationTests.Support;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// The simulated engine (benchmarking only): a worker started with WORKER_ENGINES=simulated completes jobs through the
/// whole control plane (API, outbox, broker, worker, saga) without launching a browser, while the API runs with
/// SIMULATED_ENGINE_ENABLED=true; an API copy without it deactivates the engine's browser type and refuses it.
/// </summary>
[Collection(SimulatedEngineDefinition.Name)]
public sealed class SimulatedEngineTests(SimulatedEngineFixture stack)
{
    private static readonly Uri Browsers = new("/api/v1/browsers", UriKind.Relative);

    [Fact]
    public async Task Simulated_jobs_complete_without_a_browser_only_while_the_api_enables_the_engine()
    {
        var browsers = await stack.Http.GetFromJsonAsync<JsonElement>(Browsers);
        var simulated = browsers.GetProperty("data").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "simulated");
        var typeId = simulated.GetProperty("id").GetInt32();
        Assert.True(simulated.GetProperty("isActive").GetBoolean());

        var workerAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        await using var worker = AppProcess.Start("BrowserAutomation.Worker", stack.HostEnvironment(new()
        {
            ["WORKER_ENGINES"] = "simulated",
            ["Worker__Engines"] = "simulated",
            ["Worker__HeartbeatIntervalMs"] = "500",
            ["SIMULATED_ENGINE_DELAY_MS"] = "5",
            ["ASPNETCORE_URLS"] = workerAddress.ToString().TrimEnd('/'),
        }));
        using var probe = new HttpClient { BaseAddress = workerAddress };
        await Wait.UntilAsync(async () =>
            {
                Assert.False(worker.HasExited, "the simulated worker exited:\n" + worker.Tail);
                try
                {
                    using var ready = await probe.GetAsync(new Uri("/health/ready", UriKind.Relative));
                    return ready.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60), "the simulated worker to be ready:\n" + worker.Tail);

        Guid jobId = default;
        await Wait.UntilAsync(async () =>
            {
                // Accepted once the worker's first heartbeat made the engine live.
                using var response = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), new
                {
                    browserTypeId = typeId, actionType = "screenshot", payload = new { url = stack.Site.Url("/page") },
                });
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    return false;
                }

                jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
                return true;
            },
            TimeSpan.FromSeconds(30), "a simulated job to be accepted");

        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        var result = job.GetProperty("result");
        Assert.Equal(stack.Site.Url("/page"), result.GetProperty("finalUrl").GetString());
        var artifact = Assert.Single(result.GetProperty("artifacts").EnumerateArray());
        Assert.Equal("image/png", artifact.GetProperty("mimeType").GetString());
        // No browser: the simulated worker started no child process at all (no Playwright driver, no Chromium).
        Assert.Empty(Directory.GetDirectories($"/proc/{worker.Id}/task").SelectMany(t => File.ReadAllText(Path.Combine(t, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries)));

        // An API copy without SIMULATED_ENGINE_ENABLED deactivates the type at start and refuses to make one.
        var (plain, plainAddress) = await stack.StartExtraApiAsync(new() { ["SIMULATED_ENGINE_ENABLED"] = "false" });
        await using var _p = plain;
        using var client = StackFixture.CreateClient(plainAddress, stack.BootstrapAdminKey);
        using var created = await client.PostAsJsonAsync(Browsers, new { name = "Simulated 2", type = "simulated" });
        var problem = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("SIMULATED_ENGINE_ENABLED=true", problem, StringComparison.Ordinal);
        using var reactivated = await client.PatchAsJsonAsync(new Uri($"/api/v1/browsers/{typeId}", UriKind.Relative), new { isActive = true });
        Assert.Equal(HttpStatusCode.BadRequest, reactivated.StatusCode);

        using var refused = await client.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), new
        {
            browserTypeId = typeId, actionType = "screenshot", payload = new { url = stack.Site.Url("/page") },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("deactivated", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
