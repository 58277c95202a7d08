using BrowserAutomation.Contracts.Actions;

namespace BrowserAutomation.Contracts.Forensics;

/// <summary>
/// The trace and har options. Both files hold what the job sent: a trace records every typed value and the DOM with
/// filled inputs, a HAR the request headers and posted forms. So a job that carries secrets (form values, cookies,
/// credentials, header values) cannot ask for either: its secrets are encrypted at rest, the artifacts would not be.
/// </summary>
public static class ForensicsRules
{
    /// <summary>No trace (the default).</summary>
    public const string Off = "off";

    /// <summary>A trace of every attempt.</summary>
    public const string On = "on";

    /// <summary>A trace of the attempts that fail.</summary>
    public const string RetainOnFailure = "retain-on-failure";

    /// <summary>The trace modes.</summary>
    public static IReadOnlyList<string> TraceModes { get; } = [Off, On, RetainOnFailure];

    /// <summary>The trace mode in canonical spelling (off when unset); null for an unknown one.</summary>
    /// <param name="options">The job's options.</param>
    public static string? TraceMode(JobOptions? options) =>
        options?.Trace is null ? Off : ActionValues.Canonical(options.Trace, TraceModes);

    /// <summary>The problems of the trace and har options, keyed by JSON path; empty when they are fine.</summary>
    /// <param name="options">The job's options.</param>
    /// <param name="actions">The job's steps.</param>
    public static IReadOnlyList<(string Path, string Message)> Check(JobOptions? options, IReadOnlyList<JobAction>? actions)
    {
        var mode = TraceMode(options);
        if (mode is null)
        {
            return [("options.trace", $"trace must be one of: {string.Join(", ", TraceModes)}.")];
        }

        var recording = new List<string>();
        if (mode != Off)
        {
            recording.Add("trace");
        }

        if (options?.Har == true)
        {
            recording.Add("har");
        }

        if (recording.Count == 0 || Secrets(options, actions) is not { } secret)
        {
            return [];
        }

        return
        [
            ($"options.{recording[0]}",
                $"{string.Join(" and ", recording)} cannot be recorded for a job with {secret}: the recording would hold them in clear text "
                + "(a trace keeps every typed value and the page's inputs, a HAR the request headers and posted forms). "
                + "Record a run of the job without them."),
        ];
    }

    private static string? Secrets(JobOptions? options, IReadOnlyList<JobAction>? actions)
    {
        if (actions?.FirstOrDefault(a => a is not null && ActionCatalog.WithSecretValues.Contains(a.Action, StringComparer.OrdinalIgnoreCase)) is { } step)
        {
            return $"form values ({step.Action} steps)";
        }

        return options switch
        {
            { Cookies.Count: > 0 } => "cookies",
            { HttpCredentials: not null } => "httpCredentials",
            { ExtraHttpHeaders.Count: > 0 } => "extraHttpHeaders",
            _ => null,
        };
    }
}
