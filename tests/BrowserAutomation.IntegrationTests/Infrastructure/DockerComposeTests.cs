using System.Diagnostics;

namespace BrowserAutomation.IntegrationTests.Infrastructure;

/// <summary>
/// Validates docker-compose.yml with the docker-compose CLI, which needs no Docker engine.
/// Its output is parsed with a few line rules, enough for both the v1 (short port syntax)
/// and v2 (long port syntax) renderings of <c>docker-compose config</c>.
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly string[] ExpectedServices = ["postgres", "rabbitmq", "migrate", "api", "worker", "prometheus", "grafana"];
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    // docker-compose (Python) takes ~0.7 s per call: render the configuration once.
    private static readonly Lazy<Task<string>> Config = new(GetConfigAsync);

    [Fact]
    public async Task Compose_file_is_valid()
    {
        var result = await RunComposeAsync("config", "-q");

        Assert.True(result.ExitCode == 0,
            $"docker-compose config -q exited with {result.ExitCode}:\n{result.StandardError}{result.StandardOutput}");
    }

    [Theory]
    [InlineData("SECRETS_ENCRYPTION_KEY")]
    [InlineData("API_BOOTSTRAP_ADMIN_KEY")]
    public async Task Compose_refuses_to_run_without_a_required_secret(string missing)
    {
        (string Name, string? Value)[] environment = RequiredEnvironment.Select(e => e.Name == missing ? (e.Name, (string?)null) : e).ToArray();
        var result = await RunComposeAsync(environment, "config", "-q");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(missing, result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compose_defines_all_services()
    {
        var services = ParseServices(await Config.Value);

        foreach (var name in ExpectedServices)
        {
            Assert.True(services.ContainsKey(name),
                $"service '{name}' missing from docker-compose config; found: {string.Join(", ", services.Keys)}");
        }
    }

    [Theory]
    [InlineData(5672)]
    [InlineData(15672)]
    public async Task RabbitMq_ports_bind_to_loopback_only(int containerPort)
    {
        var services = ParseServices(await Config.Value);
        Assert.True(services.TryGetValue("rabbitmq", out var rabbitmq), "no rabbitmq service in docker-compose config");

        var mappings = ParsePorts(rabbitmq).Where(p => p.Target == containerPort).ToList();

        Assert.NotEmpty(mappings);
        Assert.All(mappings, p => Assert.Equal("127.0.0.1", p.HostIp));
    }

    [Theory]
    [InlineData("prometheus", 9090)]
    [InlineData("grafana", 3000)]
    public async Task Monitoring_ports_bind_to_loopback_only(string service, int containerPort)
    {
        var services = ParseServices(await Config.Value);
        Assert.True(services.TryGetValue(service, out var lines), $"no {service} service in docker-compose config");

        var mappings = ParsePorts(lines).Where(p => p.Target == containerPort).ToList();

        Assert.NotEmpty(mappings);
        Assert.All(mappings, p => Assert.Equal("127.0.0.1", p.HostIp));
    }

    [Fact]
    public void Prometheus_scrapes_the_api_and_the_worker_and_grafana_provisions_a_dashboard_on_the_metric_names()
    {
        var infra = Path.Combine(FindRepoRoot(), "infra");
        var prometheus = File.ReadAllText(Path.Combine(infra, "prometheus", "prometheus.yml"));
        Assert.Contains("\"api:3000\"", prometheus, StringComparison.Ordinal);
        Assert.Contains("\"worker:3001\"", prometheus, StringComparison.Ordinal);
        Assert.Contains("url: http://prometheus:9090", File.ReadAllText(Path.Combine(infra, "grafana", "provisioning", "datasources", "prometheus.yml")), StringComparison.Ordinal);

        using var dashboard = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(infra, "grafana", "dashboards", "browser-automation.json")));
        var queries = string.Join('\n', dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString())));
        foreach (var metric in new[]
                 {
                     "browser_automation_jobs_submitted_total", "browser_automation_jobs_finished_total", "browser_automation_job_duration_seconds_bucket",
                     "browser_automation_job_queue_wait_seconds_bucket", "browser_automation_queue_depth", "browser_automation_queue_oldest_age_seconds",
                     "browser_automation_workers", "browser_automation_browser_pool_browsers", "browser_automation_browser_pool_contexts",
                     "browser_automation_browsers_crashed_total", "browser_automation_outbox_pending_messages", "browser_automation_outbox_oldest_age_seconds",
                     "http_server_request_duration_seconds_bucket", "browser_automation_job_delivery_faults_total",
                 })
        {
            Assert.Contains(metric, queries, StringComparison.Ordinal);
        }
    }

    private static async Task<string> GetConfigAsync()
    {
        var result = await RunComposeAsync("config");
        Assert.True(result.ExitCode == 0,
            $"docker-compose config exited with {result.ExitCode}:\n{result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>Maps each service under the top-level <c>services:</c> key to its lines.</summary>
    private static Dictionary<string, List<string>> ParseServices(string config)
    {
        Dictionary<string, List<string>> services = new(StringComparer.Ordinal);
        List<string>? current = null;
        var inServices = false;
        var serviceIndent = -1;

        foreach (var rawLine in config.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var indent = Indent(line);
            if (indent == 0)
            {
                inServices = line.StartsWith("services:", StringComparison.Ordinal);
                current = null;
                continue;
            }

            if (!inServices)
            {
                continue;
            }

            if (serviceIndent < 0)
            {
                serviceIndent = indent;
            }

            if (indent == serviceIndent && line.TrimEnd().EndsWith(':'))
            {
                current = [];
                services[line.Trim().TrimEnd(':').Trim('"', '\'')] = current;
            }
            else if (indent > serviceIndent)
            {
                current?.Add(line);
            }
        }

        return services;
    }

    /// <summary>Reads the <c>ports:</c> list of one service, in short or long syntax.</summary>
    private static List<PortMapping> ParsePorts(List<string> serviceLines)
    {
        var start = serviceLines.FindIndex(l => l.Trim() == "ports:");
        if (start < 0)
        {
            return [];
        }

        // YAML allows a block list at the same indentation as its key.
        var keyIndent = Indent(serviceLines[start]);
        List<List<string>> items = [];
        var dashIndent = -1;
        for (var i = start + 1; i < serviceLines.Count; i++)
        {
            var line = serviceLines[i];
            var indent = Indent(line);
            var isDash = line.TrimStart().StartsWith("- ", StringComparison.Ordinal);
            if (indent < keyIndent || (indent == keyIndent && !isDash))
            {
                break;
            }

            if (isDash && (dashIndent < 0 || indent == dashIndent))
            {
                dashIndent = indent;
                items.Add([line.TrimStart()[2..].Trim()]);
            }
            else if (items.Count > 0)
            {
                items[^1].Add(line.Trim());
            }
        }

        return items.Select(ParsePortItem).ToList();
    }

    private static PortMapping ParsePortItem(List<string> item)
    {
        if (item[0].Contains(": ", StringComparison.Ordinal) || item[0].EndsWith(':'))
        {
            var fields = item
                .Select(l => l.Split(':', 2))
                .Where(kv => kv.Length == 2)
                .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim().Trim('"', '\''), StringComparer.Ordinal);
            return new PortMapping(
                fields.GetValueOrDefault("host_ip"),
                int.Parse(fields["target"], System.Globalization.CultureInfo.InvariantCulture));
        }

        var spec = item[0].Trim('"', '\'');
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            spec = spec[..slash];
        }

        var parts = spec.Split(':');
        var hostIp = parts.Length == 3 ? parts[0] : null;
        return new PortMapping(hostIp, int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    // What a user must export before `docker compose up` (the file refuses to render without them).
    private static readonly (string Name, string? Value)[] RequiredEnvironment =
    [
        ("SECRETS_ENCRYPTION_KEY", Convert.ToBase64String(new byte[32])),
        ("API_BOOTSTRAP_ADMIN_KEY", "ba_" + new string('0', 64)),
    ];

    private static Task<CommandResult> RunComposeAsync(params string[] args) => RunComposeAsync(null, args);

    private static async Task<CommandResult> RunComposeAsync((string Name, string? Value)[]? environment, params string[] args)
    {
        var repoRoot = FindRepoRoot();
        var compose = FindOnPath("docker-compose");
        if (compose is null)
        {
            Assert.Fail("docker-compose was not found on PATH; run infra/install-deps.sh (as root) to install it.");
        }

        ProcessStartInfo startInfo = new(compose)
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach ((var name, var value) in environment ?? RequiredEnvironment)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.ArgumentList.Add("-f");
        startInfo.ArgumentList.Add(Path.Combine(repoRoot, "docker-compose.yml"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"could not start {compose}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using CancellationTokenSource timeout = new(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"docker-compose {string.Join(' ', args)} did not finish within {CommandTimeout.TotalSeconds} s");
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BrowserAutomation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no BrowserAutomation.sln above {AppContext.BaseDirectory}");
    }

    private static string? FindOnPath(string executable)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, executable))
            .FirstOrDefault(File.Exists);
    }

    private sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);

    private sealed record PortMapping(string? HostIp, int Target);
}
