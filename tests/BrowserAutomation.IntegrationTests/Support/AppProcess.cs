using System.Collections.Concurrent;
using System.Diagnostics;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>
/// One of the project's own hosts (API or worker) started as a real child process from its build output.
/// It is ended by the PID this test started, never by name.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly int _keepLines;

    private AppProcess(Process process, string name, int keepLines)
    {
        _process = process;
        Name = name;
        _keepLines = keepLines;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Tail => string.Join(Environment.NewLine, _output.TakeLast(40));

    /// <summary>Every line kept (the last <c>keepLines</c> given to <see cref="Start"/>).</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static AppProcess Start(string project, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? arguments = null,
        int keepLines = 400)
    {
        var dll = Path.Combine(RepositoryRoot, "src", project, "bin", BuildConfiguration, "net10.0", $"{project}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build the solution in {BuildConfiguration} first (infra/test.sh does).");
        }

        var info = new ProcessStartInfo("dotnet", [dll, .. arguments ?? []])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var app = new AppProcess(process, project, keepLines);
        process.OutputDataReceived += (_, e) => app.Record(e.Data);
        process.ErrorDataReceived += (_, e) => app.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Runs a verb of a host (such as the API's `keys`) to its end; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string project, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        await using var app = Start(project, environment, arguments);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await app._process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{project} {string.Join(' ', arguments)} did not exit within {timeout}:\n{app.Tail}");
        }

        // WaitForExit without a timeout also waits for the redirected output to be read to its end.
        await app._process.WaitForExitAsync();
        return (app._process.ExitCode, app.Output);
    }

    /// <summary>SIGKILL, as a crash would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an operator or orchestrator stops it, then SIGKILL if it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
               { UseShellExecute = false }))
        {
            await term!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > _keepLines)
        {
            _output.TryDequeue(out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A graceful stop lets the worker close its browsers, and Playwright remove their temporary profiles.
        await StopAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
    }

    /// <summary>The folder holding BrowserAutomation.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Debug or Release: the same configuration this test assembly was built in.</summary>
    public static string BuildConfiguration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BrowserAutomation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BrowserAutomation.sln not found above " + AppContext.BaseDirectory);
    }
}
