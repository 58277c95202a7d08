using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BrowserAutomation.Bench;

/// <summary>
/// A worker process this bench starts itself with WORKER_ENGINES=simulated (no browser), on the quick-start stack's
/// database and broker (the bench's own environment: source infra/env.sh). Stopped with SIGTERM when disposed.
/// </summary>
internal sealed class SimulatedWorker : IAsyncDisposable
{
    private readonly Process _process;

    private SimulatedWorker(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Pid => _process.Id;

    public static async Task<SimulatedWorker> StartAsync(string workerDll, int maxConcurrentJobs, int delayMs)
    {
        if (!File.Exists(workerDll))
        {
            throw new FileNotFoundException($"The worker build is missing ({workerDll}); build the solution in Release first.");
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        listener.Stop();

        var start = new ProcessStartInfo("dotnet", [workerDll])
        {
            WorkingDirectory = Path.GetDirectoryName(workerDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["WORKER_ENGINES"] = "simulated";
        start.Environment["WORKER_MAX_CONCURRENT_JOBS"] = maxConcurrentJobs.ToString(CultureInfo.InvariantCulture);
        start.Environment["SIMULATED_ENGINE_DELAY_MS"] = delayMs.ToString(CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["LOG_LEVEL"] = "Warning";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the simulated worker");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 })
            {
                Console.Error.WriteLine("[simulated worker] " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var worker = new SimulatedWorker(process, address);
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the simulated worker exited with {process.ExitCode} during start-up");
            }

            try
            {
                using var ready = await probe.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return worker;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                await worker.DisposeAsync();
                throw new TimeoutException("the simulated worker was not ready within 60 s");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
