using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Automation.Execution;

/// <summary>
/// The simulated engine's executor (benchmarking only): no browser, no network. Each attempt waits
/// SIMULATED_ENGINE_DELAY_MS and succeeds with a result shaped like a real one: every step completed, the last
/// navigated URL (else the job's target) as the final URL, no extracted values, and a tiny placeholder file for each screenshot or pdf step,
/// so the artifact write in the worker's finishing transaction is part of what the bench measures.
/// </summary>
public sealed class SimulatedJobExecutor(IOptions<SimulatedEngineOptions> options) : IJobExecutor
{
    // A 1×1 transparent PNG (67 bytes) and the smallest well-formed PDF header: cheap, and valid for their MIME types.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    private static readonly byte[] Pdf = "%PDF-1.4\n%%EOF\n"u8.ToArray();

    public async Task<JobExecutionOutcome> ExecuteAsync(JobRequested job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var startedAt = DateTime.UtcNow;
        if (options.Value.DelayMs > 0)
        {
            await Task.Delay(options.Value.DelayMs, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var steps = new List<StepOutcome>(job.Actions.Count);
        var artifacts = new List<ProducedArtifact>();
        var finalUrl = string.IsNullOrEmpty(job.TargetUrl) ? null : job.TargetUrl;
        for (var index = 0; index < job.Actions.Count; index++)
        {
            var action = job.Actions[index];
            steps.Add(new StepOutcome(index, action.Action, "completed", 0));
            finalUrl = action.Url ?? finalUrl;
            if (action.Action == "screenshot")
            {
                artifacts.Add(new ProducedArtifact("screenshot", artifacts.Count == 0 ? "screenshot.png" : $"screenshot-{index}.png", "image/png", Png, index));
            }
            else if (action.Action == "pdf")
            {
                artifacts.Add(new ProducedArtifact("pdf", $"document-{index}.pdf", "application/pdf", Pdf, index));
            }
        }

        var finishedAt = DateTime.UtcNow;
        return new JobExecutionOutcome
        {
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            DurationMs = (long)(finishedAt - startedAt).TotalMilliseconds,
            FinalUrl = finalUrl,
            HttpStatus = finalUrl is null ? null : 200,
            Title = finalUrl is null ? null : "Simulated",
            Steps = steps,
            Artifacts = artifacts,
        };
    }
}
