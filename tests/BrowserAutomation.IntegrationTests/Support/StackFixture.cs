using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using BrowserAutomation.IntegrationTests.Automation;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>
/// The whole system as separate processes: the API and a Chromium worker built by the solution, on a fresh
/// database and RabbitMQ virtual host, with RabbitMQ reached through a proxy the tests can cut, and a test site
/// on 127.0.0.1 for the browser to visit.
/// </summary>
public class StackFixture : IAsyncLifetime
{
    /// <summary>Settings a derived fixture adds to both processes (LOG_FORMAT, OTEL_*, ...), applied before each call's own.</summary>
    protected virtual IReadOnlyDictionary<string, string> StackSettings { get; } = new Dictionary<string, string>();

    public TestDatabase Database { get; private set; } = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public TcpProxy Broker { get; private set; } = null!;

    /// <summary>PostgreSQL as the API and worker reach it (the tests' own queries go direct).</summary>
    public TcpProxy DatabaseLink { get; private set; } = null!;

    public FaultSite Faults { get; private set; } = null!;

    public TestSite Site { get; private set; } = null!;

    public AppProcess Api { get; private set; } = null!;

    public AppProcess Worker { get; private set; } = null!;

    /// <summary>Sends <see cref="BootstrapAdminKey"/> with every request: admin of owner "admin", sees every owner's jobs.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The API's API_BOOTSTRAP_ADMIN_KEY.</summary>
    public string BootstrapAdminKey { get; } = "ba_bootstrap_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    /// <summary>The API's base address.</summary>
    public Uri BaseAddress => Http.BaseAddress!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        VirtualHost = await TestVirtualHost.CreateAsync();
        Broker = new TcpProxy(TestSettings.RabbitPort);
        DatabaseLink = new TcpProxy(TestSettings.DbPort);
        Site = await TestSite.StartAsync();
        Faults = await FaultSite.StartAsync();

        var apiPort = FreePort();
        Api = AppProcess.Start("BrowserAutomation.Api", Environment(new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{apiPort}" }));
        Http = CreateClient(new Uri($"http://127.0.0.1:{apiPort}"), BootstrapAdminKey);
        if (!StartsWorker)
        {
            await Wait.UntilAsync(async () => await IsHealthyAsync(), TimeSpan.FromSeconds(60), "the API to answer /health:\n" + Api.Tail);
            return;
        }

        Worker = StartWorker();
        await Wait.UntilAsync(async () => await IsHealthyAsync(), TimeSpan.FromSeconds(60), "the API to answer /health:\n" + Api.Tail);

        await WaitForWorkerAsync(Worker);

        // A first job proves the worker is consuming (and warms both processes up).
        var warmUp = await SubmitAsync(new { browserTypeId = 1, actionType = "visit", payload = new { url = Site.Url("/page") } });
        await WaitForFinalStatusAsync(warmUp, TimeSpan.FromSeconds(90));
    }

    /// <summary>A client for the API sending <paramref name="apiKey"/> in X-API-Key (none when null).</summary>
    public static HttpClient CreateClient(Uri baseAddress, string? apiKey)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return client;
    }

    public HttpClient CreateClient(string? apiKey) => CreateClient(BaseAddress, apiKey);

    /// <summary>Creates a key through POST /api/v1/keys (as the bootstrap admin); returns its id and the key.</summary>
    public async Task<(Guid Id, string Key)> CreateKeyAsync(string owner, string scopes = "submit,read", int? rateLimitMax = null,
        int? rateLimitWindowMs = null, int? maxConcurrentJobs = null)
    {
        using var response = await Http.PostAsJsonAsync(new Uri("/api/v1/keys", UriKind.Relative), new
        {
            name = $"test {owner}",
            owner,
            scopes = scopes.Split(','),
            rateLimitMax,
            rateLimitWindowMs,
            maxConcurrentJobs,
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/keys answered {(int)response.StatusCode}: {text}");
        var created = JsonDocument.Parse(text).RootElement;
        return (created.GetProperty("apiKey").GetProperty("id").GetGuid(), created.GetProperty("key").GetString()!);
    }

    /// <summary>A client with a new key of a new owner (unique per call).</summary>
    public async Task<(HttpClient Client, string Owner, string Key)> TenantAsync(string scopes = "submit,read", int? rateLimitMax = null,
        int? rateLimitWindowMs = null, int? maxConcurrentJobs = null)
    {
        var owner = $"tenant-{Guid.NewGuid():N}"[..20];
        var (_, key) = await CreateKeyAsync(owner, scopes, rateLimitMax, rateLimitWindowMs, maxConcurrentJobs);
        return (CreateClient(key), owner, key);
    }

    /// <summary>Another API process on this stack's database and broker, with extra settings; the caller disposes it.</summary>
    public async Task<(AppProcess Api, Uri BaseAddress)> StartExtraApiAsync(Dictionary<string, string> settings)
    {
        var port = FreePort();
        settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var api = AppProcess.Start("BrowserAutomation.Api", Environment(settings), keepLines: 200_000);
        var address = new Uri($"http://127.0.0.1:{port}");
        using var probe = CreateClient(address, null);
        await Wait.UntilAsync(async () =>
            {
                if (api.HasExited)
                {
                    throw new InvalidOperationException("The extra API exited:\n" + api.Tail);
                }

                try
                {
                    using var response = await probe.GetAsync(new Uri("/health", UriKind.Relative));
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60), "the extra API to answer /health:\n" + api.Tail);
        return (api, address);
    }

    /// <summary>The worker's own HTTP endpoint (health and metrics), on a free loopback port chosen at each start.</summary>
    public Uri WorkerAddress { get; private set; } = null!;

    private AppProcess StartWorker(IReadOnlyDictionary<string, string>? extra = null)
    {
        WorkerAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var settings = new Dictionary<string, string>
        {
            ["Worker__Engines"] = "chromium",
            ["Worker__HeartbeatIntervalMs"] = "500",
            ["ASPNETCORE_URLS"] = WorkerAddress.ToString().TrimEnd('/'),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return AppProcess.Start("BrowserAutomation.Worker", Environment(settings));
    }

    /// <summary>Starts a fresh worker after the previous one was killed or stopped, and waits until it has registered.</summary>
    public async Task RestartWorkerAsync()
    {
        await Worker.DisposeAsync();
        Worker = StartWorker();
        await WaitForWorkerAsync(Worker);
    }

    /// <summary>
    /// Whether the stack starts with a worker (and proves it with a first job). A fixture without one starts it later
    /// with <see cref="StartWorkerAsync"/> (scale from zero).
    /// </summary>
    protected virtual bool StartsWorker => true;

    /// <summary>Starts a worker (when none runs, or after the previous one exited), with extra settings; does not wait for it.</summary>
    public AppProcess StartWorker(Dictionary<string, string> extra)
    {
        Worker = StartWorker(extra.AsReadOnly());
        return Worker;
    }

    /// <summary>Waits until the worker process has registered itself as a live worker (its heartbeat shows in /api/v1/workers).</summary>
    public async Task WaitForWorkerAsync(AppProcess worker) =>
        await Wait.UntilAsync(async () =>
            {
                if (worker.HasExited)
                {
                    throw new InvalidOperationException("The worker exited:\n" + worker.Tail);
                }

                var workers = await Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/workers", UriKind.Relative));
                return workers.GetProperty("data").EnumerateArray().Any(w => w.GetProperty("status").GetString() != "offline"
                    && w.GetProperty("metadata").ValueKind == JsonValueKind.Object
                    && w.GetProperty("metadata").GetProperty("pid").GetInt32() == worker.Id);
            },
            TimeSpan.FromSeconds(60), "the worker to register:\n" + worker.Tail);

    /// <summary>The stack's secrets key (random per fixture).</summary>
    public string SecretsKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    /// <summary>The settings the stack's hosts run with (database, broker, bootstrap key ...), plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string> HostEnvironment(Dictionary<string, string> extra) => Environment(extra);

    private Dictionary<string, string> Environment(Dictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(Database.ConnectionString) { Port = DatabaseLink.Port }.ConnectionString,
            // Short retry delays and watchdog grace keep lifecycle tests quick; the logic is the same.
            ["Jobs__RetryBaseDelayMs"] = "200",
            ["Jobs__AttemptGraceMs"] = "3000",
            ["WORKER_STALE_AFTER_MS"] = "3000",
            // What infra/up.sh serves by default; webkit stays unserved, so its jobs are refused with 422.
            ["SERVED_ENGINES"] = "chromium,firefox",
            ["RabbitMq__Host"] = "127.0.0.1",
            ["RabbitMq__Port"] = Broker.Port.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq__VirtualHost"] = VirtualHost.Name,
            ["RabbitMq__Username"] = TestSettings.RabbitUser,
            ["RabbitMq__Password"] = TestSettings.RabbitPassword,
            // A minute-long fallback poll: jobs finishing in a second or two were pushed, not polled.
            ["Outbox__PollIntervalMs"] = "60000",
            ["Logging__LogLevel__Default"] = System.Environment.GetEnvironmentVariable("BA_TEST_APP_LOG_LEVEL") ?? "Warning",
            ["DOTNET_gcServer"] = "0",
            // A key of this stack's own; the worker must hold the API's key to decrypt form values.
            ["SECRETS_ENCRYPTION_KEY"] = SecretsKey,
            // Test pages are served on 127.0.0.1, which the URL policy denies unless allowed.
            ["URL_ALLOWED_NETWORKS"] = "127.0.0.1/32",
            ["API_BOOTSTRAP_ADMIN_KEY"] = BootstrapAdminKey,
            // The suites poll a lot with one key; the limits have their own tests with per-key values.
            ["RATE_LIMIT_MAX"] = "1000000",
            ["MAX_CONCURRENT_JOBS_PER_KEY"] = "100000",
        };
        foreach (var (key, value) in StackSettings.Concat(extra))
        {
            environment[key] = value;
        }

        return environment;
    }

    private async Task<bool> IsHealthyAsync()
    {
        if (Api.HasExited)
        {
            throw new InvalidOperationException("The API exited:\n" + Api.Tail);
        }

        try
        {
            using var response = await Http.GetAsync(new Uri("/health", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task<Guid> SubmitAsync(object body)
    {
        using var response = await Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/v1/jobs answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetGuid();
    }

    public async Task<JsonElement> GetJobAsync(Guid jobId) =>
        await Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative));

    public async Task<JsonElement> WaitForFinalStatusAsync(Guid jobId, TimeSpan? timeout = null)
    {
        JsonElement job = default;
        await Wait.UntilAsync(async () =>
            {
                job = await GetJobAsync(jobId);
                return job.GetProperty("status").GetString() is "completed" or "failed" or "cancelled" or "expired";
            },
            timeout ?? TimeSpan.FromSeconds(60),
            $"job {jobId} to finish.\nAPI:\n{Api.Tail}\nWorker:\n{Worker?.Tail}");
        return job;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }

        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (Site is not null)
        {
            await Site.DisposeAsync();
        }

        if (Faults is not null)
        {
            await Faults.DisposeAsync();
        }

        if (DatabaseLink is not null)
        {
            await DatabaseLink.DisposeAsync();
        }

        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        if (VirtualHost is not null)
        {
            await VirtualHost.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StackDefinition : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
