using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>
/// A real Prometheus (Debian's package, /usr/bin/prometheus; infra/install-deps.sh installs it) on 127.0.0.1 with a
/// generated configuration scraping the given targets every second, its data in a temporary folder. Disposing
/// kills this process only.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private const string Binary = "/usr/bin/prometheus";
    private readonly Process _process;
    private readonly string _directory;

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, Uri> targets)
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: the metrics test needs Debian's prometheus package (run infra/install-deps.sh as root).");
        var directory = Directory.CreateTempSubdirectory("ba-prometheus-").FullName;
        var jobs = string.Join("\n", targets.Select(t => $"""
              - job_name: {t.Key}
                metrics_path: /metrics
                static_configs:
                  - targets: ["{t.Value.Authority}"]
            """));
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
            {jobs}
            """);

        var port = FreePort();
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=1h",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Wait.UntilAsync(async () =>
            {
                Assert.False(process.HasExited, $"prometheus exited with {(process.HasExited ? process.ExitCode : 0)}");
                try
                {
                    using var ready = await http.GetAsync(new Uri(server.Address, "/-/ready"));
                    return ready.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30), "prometheus to be ready");
        return server;
    }

    /// <summary>The values of an instant query (one per series), through the HTTP API.</summary>
    public async Task<IReadOnlyList<double>> QueryAsync(string promQl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var answer = await http.GetFromJsonAsync<JsonElement>(new Uri(Address, $"/api/v1/query?query={Uri.EscapeDataString(promQl)}"));
        Assert.Equal("success", answer.GetProperty("status").GetString());
        return answer.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
