using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;
using BrowserAutomation.Contracts.Forensics;
using BrowserAutomation.Networking;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// Turns a request (the single-action form, actionType + payload, or url + actions) into one normalised
/// <see cref="JobSpecification"/>, or into field errors keyed by JSON path (<c>actions[3].target</c>,
/// <c>payload.extractors[0].name</c>). Every problem is reported at once. Steps are checked by the shared
/// <see cref="StepValidator"/>, which the worker runs again before any browser work; this is where clients hear about
/// them, before anything is stored.
/// </summary>
public static class JobRequestValidator
{
    public const int MaxTimeoutMs = 300_000;
    public const int MinTimeoutMs = 1_000;
    public const int DefaultTimeoutMs = 30_000;
    public const int MaxPriority = 10;
    public const int MaxActions = 100;
    public const int DefaultMaxRetries = 3;
    public const int MaxRetriesLimit = 10;

    /// <param name="request">The submitted request.</param>
    /// <param name="evaluateEnabled">Whether this deployment allows the evaluate action (Jobs:EvaluateEnabled / EVALUATE_ENABLED).</param>
    /// <param name="defaultTimeoutMs">The job timeout when the request sets none (Jobs:DefaultTimeoutMs).</param>
    /// <param name="limits">The deployment's limits (MAX_ACTIONS_PER_JOB, MAX_JOB_TIMEOUT_MS); the defaults when null.</param>
    /// <param name="urlPolicy">The deployment's URL policy (URL_* settings); the built-in denied ranges when null.</param>
    public static (JobSpecification? Job, Dictionary<string, string[]> Errors) Validate(SubmitJob request, bool evaluateEnabled = false,
        int defaultTimeoutMs = DefaultTimeoutMs, JobLimits? limits = null, UrlPolicy? urlPolicy = null)
    {
        var errors = new ValidationProblems();
        var (maxActions, maxTimeoutMs) = limits ?? JobLimits.Default;

        if (request.BrowserTypeId is null)
        {
            errors.Add("browserTypeId", "browserTypeId is required (see GET /api/v1/browsers).");
        }

        var priority = request.Priority ?? 0;
        if (priority is < 0 or > MaxPriority)
        {
            errors.Add("priority", $"priority must be between 0 and {MaxPriority}.");
        }

        var maxRetries = request.MaxRetries ?? DefaultMaxRetries;
        if (maxRetries is < 0 or > MaxRetriesLimit)
        {
            errors.Add("maxRetries", $"maxRetries must be between 0 and {MaxRetriesLimit}.");
        }

        if (request.ClientReference is { Length: > 200 })
        {
            errors.Add("clientReference", "clientReference is at most 200 characters.");
        }

        if (request.IdempotencyKey is { Length: > 200 } or { Length: 0 })
        {
            errors.Add("idempotencyKey", "An idempotency key is 1 to 200 characters.");
        }

        // The single-action visit payload names the job's time budget "timeout".
        var timeoutMs = request.TimeoutMs ?? request.Payload?.Timeout ?? defaultTimeoutMs;
        if (timeoutMs < MinTimeoutMs || timeoutMs > maxTimeoutMs)
        {
            var field = request.TimeoutMs is null && request.Payload?.Timeout is not null ? "payload.timeout" : "timeoutMs";
            errors.Add(field, $"{field[(field.IndexOf('.') + 1)..]} must be between {MinTimeoutMs} and {maxTimeoutMs} (milliseconds; MAX_JOB_TIMEOUT_MS).");
            timeoutMs = maxTimeoutMs;
        }

        if (request.UserAgent is { } userAgent && (string.IsNullOrWhiteSpace(userAgent) || userAgent.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0))
        {
            errors.Add("userAgent", "userAgent must be a non-empty single line.");
        }

        JobOptionsValidator.Validate(request.Options, errors);
        var (startBy, expiresAt) = JobDeadlineValidator.Validate(request, errors, DateTime.UtcNow);

        var policy = urlPolicy ?? UrlPolicy.Default;
        var context = new StepValidationContext(timeoutMs, evaluateEnabled, url => policy.CheckUrl(url) is { Allowed: false } refused ? refused.Reason : null)
        {
            Problems = errors,
        };
        var form = request.ActionType is not null || request.Payload is not null
            ? SingleActionFormTranslator.Translate(request, context, maxActions)
            : Steps(request, context, maxActions);

        foreach (var (path, message) in ForensicsRules.Check(request.Options, form?.Actions))
        {
            errors.Add(path, message);
        }

        if (form is null || errors.Count > 0)
        {
            return (null, errors.ToDictionary());
        }

        return (new JobSpecification(request.BrowserTypeId!.Value, form.ActionType, form.Url!, form.Actions, form.WaitUntil, form.Viewport, priority, timeoutMs)
        {
            MaxRetries = maxRetries,
            StartBy = startBy,
            ExpiresAt = expiresAt,
            UserAgent = request.UserAgent,
            Options = request.Options is { Trace: not null } options ? options with { Trace = ForensicsRules.TraceMode(options) } : request.Options,
        }, errors.ToDictionary());
    }

    /// <summary>The one action model: url + actions.</summary>
    private static TranslatedForm Steps(SubmitJob request, StepValidationContext context, int maxActions)
    {
        var errors = context.Problems;
        context.CheckUrl(request.Url, "url");
        CheckViewport(request.Viewport, "viewport", errors);
        var waitUntil = Canonical(request.WaitUntil, ActionValues.WaitUntilValues, "waitUntil", "waitUntil", errors) ?? "load";

        var actions = new List<JobAction>();
        if (request.Actions is null)
        {
            errors.Add("actions", "Provide actionType + payload, or url + actions.");
        }
        else if (request.Actions.Count > maxActions)
        {
            errors.Add("actions", $"At most {maxActions} actions per job (MAX_ACTIONS_PER_JOB); this job has {request.Actions.Count}.");
        }
        else
        {
            for (var i = 0; i < request.Actions.Count; i++)
            {
                var index = i;
                actions.Add(StepValidator.Validate(request.Actions[i], index, field => field is null ? $"actions[{index}]" : $"actions[{index}].{field}", context));
            }
        }

        return new TranslatedForm("actions", request.Url, waitUntil, request.Viewport, actions);
    }

    /// <summary>The allowed value in its canonical spelling (matched case-insensitively); null when absent or wrong.</summary>
    internal static string? Canonical(string? value, IReadOnlyList<string> allowed, string path, string what, ValidationProblems errors)
    {
        var match = ActionValues.Canonical(value, allowed);
        if (value is not null && match is null)
        {
            errors.Add(path, $"{what} must be one of: {string.Join(", ", allowed)}.");
        }

        return match;
    }

    internal static void CheckViewport(Viewport? viewport, string path, ValidationProblems errors)
    {
        if (viewport is null)
        {
            return;
        }

        if (viewport.Width is < 1 or > 7680)
        {
            errors.Add($"{path}.width", "width must be between 1 and 7680.");
        }

        if (viewport.Height is < 1 or > 7680)
        {
            errors.Add($"{path}.height", "height must be between 1 and 7680.");
        }
    }

    /// <summary>The deployment's bounds on a job (Jobs:MaxActionsPerJob / MAX_ACTIONS_PER_JOB, Jobs:MaxTimeoutMs / MAX_JOB_TIMEOUT_MS).</summary>
    public sealed record JobLimits(int MaxActions, int MaxTimeoutMs)
    {
        public static JobLimits Default { get; } = new(JobRequestValidator.MaxActions, JobRequestValidator.MaxTimeoutMs);
    }
}
