using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Forensics;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Forensics;

/// <summary>
/// What one attempt leaves for its post-mortem: the page's console messages and uncaught errors (always, bounded), a
/// Playwright trace (options.trace: on, or retain-on-failure for failed attempts only) and a HAR (options.har, bodies
/// omitted). Recordings are optional artifacts: one that does not fit the artifact limits is dropped, never failing the job.
/// </summary>
internal sealed class AttemptForensics(JobRequested job, BrowserOptions options, ILogger logger)
{
    public const int MaxEntries = 100;
    public const int MaxTextLength = 2_000;

    private static readonly TimeSpan RecordingTimeout = TimeSpan.FromSeconds(20);

    private readonly string _traceMode = ForensicsRules.TraceMode(job.Options) ?? ForensicsRules.Off;
    private readonly List<ConsoleEntry> _console = [];
    private readonly List<PageError> _pageErrors = [];
    private string? _harPath;
    private bool _tracing;

    public IReadOnlyList<ConsoleEntry> Console
    {
        get
        {
            lock (_console)
            {
                return [.. _console];
            }
        }
    }

    public IReadOnlyList<PageError> PageErrors
    {
        get
        {
            lock (_pageErrors)
            {
                return [.. _pageErrors];
            }
        }
    }

    /// <summary>The worker's re-check of the trace and har options (the API checked them at submission).</summary>
    public static void Validate(JobRequested job)
    {
        if (ForensicsRules.Check(job.Options, job.Actions) is [var (path, message), ..])
        {
            throw JobStepException.Validation($"{path}: {message}");
        }
    }

    /// <summary>Asks the new context to record a HAR when the job wants one.</summary>
    public void Configure(BrowserNewContextOptions contextOptions)
    {
        if (job.Options?.Har == true)
        {
            _harPath = TempFile("har");
            contextOptions.RecordHarPath = _harPath;
            contextOptions.RecordHarContent = HarContentPolicy.Omit;
        }
    }

    /// <summary>Listens to the page and starts the trace; before the first navigation.</summary>
    public async Task StartAsync(IBrowserContext context, IPage page, CancellationToken cancellationToken)
    {
        page.Console += (_, message) => Add(_console, new ConsoleEntry(message.Type, Cap(message.Text), message.Location is { Length: > 0 } location ? Cap(location) : null));
        page.PageError += (_, error) => Add(_pageErrors, new PageError(Cap(error)));
        if (_traceMode != ForensicsRules.Off)
        {
            await context.Tracing.StartAsync(new TracingStartOptions { Screenshots = true, Snapshots = true, Title = $"job {job.JobId} attempt {job.Attempt}" })
                .WaitAsync(cancellationToken);
            _tracing = true;
        }
    }

    /// <summary>
    /// Stops the recordings and adds those to keep to <paramref name="artifacts"/> while they fit the limits. A HAR is
    /// written when its context closes, so with one the context is closed here. Never throws but for cancellation.
    /// </summary>
    public async Task FinishAsync(IBrowserContext? context, bool failed, List<ProducedArtifact> artifacts, CancellationToken cancellationToken)
    {
        if (context is null)
        {
            return;
        }

        if (_tracing)
        {
            var keep = _traceMode == ForensicsRules.On || failed;
            var path = keep ? TempFile("zip") : null;
            await RecordAsync("trace", path, () => context.Tracing.StopAsync(new TracingStopOptions { Path = path }),
                bytes => new ProducedArtifact("trace", "trace.zip", "application/zip", bytes, null), artifacts, cancellationToken);
        }

        if (_harPath is { } harPath)
        {
            await RecordAsync("har", harPath, () => context.CloseAsync(),
                bytes => new ProducedArtifact("har", "network.har", "application/json", bytes, null), artifacts, cancellationToken);
        }
    }

    private async Task RecordAsync(string kind, string? path, Func<Task> write, Func<byte[], ProducedArtifact> artifact, List<ProducedArtifact> artifacts,
        CancellationToken cancellationToken)
    {
        try
        {
            await write().WaitAsync(RecordingTimeout, cancellationToken);
            if (path is null)
            {
                ForensicsTelemetry.Record(kind, "discarded");
                return;
            }

            var produced = artifact(await File.ReadAllBytesAsync(path, cancellationToken));
            if (!ArtifactLimits.Fits(produced, artifacts, options))
            {
                ForensicsTelemetry.Record(kind, "too_large");
                logger.LogWarning("Job {JobId} attempt {Attempt}: the {Kind} ({Bytes} bytes) exceeds the artifact limits and is not kept",
                    job.JobId, job.Attempt, kind, produced.Data.Length);
                return;
            }

            artifacts.Add(produced);
            ForensicsTelemetry.Record(kind, "kept");
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException or IOException)
        {
            ForensicsTelemetry.Record(kind, "failed");
            logger.LogWarning(ex, "Job {JobId} attempt {Attempt}: no {Kind}", job.JobId, job.Attempt, kind);
        }
        finally
        {
            if (path is not null)
            {
                File.Delete(path);
            }
        }
    }

    private static void Add<T>(List<T> entries, T entry)
    {
        lock (entries)
        {
            if (entries.Count < MaxEntries)
            {
                entries.Add(entry);
            }
        }
    }

    private static string Cap(string text) => text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength - 1), "…");

    private string TempFile(string extension) =>
        Path.Combine(Path.GetTempPath(), $"browser-automation-{job.JobId:N}-{job.Attempt}-{Guid.NewGuid():N}.{extension}");
}
