using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Jobs;

/// <summary>Turns a request into a <see cref="JobSpecification"/>, or into field errors keyed by JSON path.</summary>
public static class JobRequestValidator
{
    public const int MaxTimeoutMs = 300_000;
    public const int MinTimeoutMs = 1_000;
    public const int DefaultTimeoutMs = 30_000;
    public const int MaxPriority = 10;
    public const int MaxActions = 100;
    public const int DefaultMaxRetries = 3;
    public const int MaxRetriesLimit = 10;

    static readonly string[] WaitUntilValues = ["load", "domcontentloaded", "networkidle", "commit"];
    static readonly string[] SingleActions = ["screenshot", "visit"];
    static readonly string[] StepActions = ["goto", "wait", "screenshot"];
    static readonly string[] Formats = ["png", "jpeg"];

    public static (JobSpecification? Job, Dictionary<string, string[]> Errors) Validate(SubmitJob request)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];
        var error = Error;

        if (request.BrowserTypeId is null)
            Error("browserTypeId", "browserTypeId is required (see GET /api/v1/browsers).");

        var priority = request.Priority ?? 0;
        if (priority is < 0 or > MaxPriority)
            Error("priority", $"priority must be between 0 and {MaxPriority}.");

        var maxRetries = request.MaxRetries ?? DefaultMaxRetries;
        if (maxRetries is < 0 or > MaxRetriesLimit)
            error("maxRetries", $"maxRetries must be between 0 and {MaxRetriesLimit}.");

        if (request.ClientReference is { Length: > 200 })
            error("clientReference", "clientReference is at most 200 characters.");
        if (request.IdempotencyKey is { Length: > 200 } or { Length: 0 })
            error("idempotencyKey", "An idempotency key is 1 to 200 characters.");

        var timeoutMs = request.TimeoutMs ?? DefaultTimeoutMs;
        if (timeoutMs is < MinTimeoutMs or > MaxTimeoutMs)
            Error("timeoutMs", $"timeoutMs must be between {MinTimeoutMs} and {MaxTimeoutMs}.");

        string? url;
        string? waitUntil;
        Viewport? viewport;
        string actionType;
        IReadOnlyList<JobAction> actions;

        if (request.ActionType is not null || request.Payload is not null)
        {
            if (request.Url is not null || request.Actions is not null)
                Error("actionType", "Use either actionType + payload or url + actions, not both.");

            actionType = request.ActionType?.Trim().ToLowerInvariant() ?? "";
            if (!SingleActions.Contains(actionType))
                Error("actionType", $"actionType must be one of: {string.Join(", ", SingleActions)}.");

            var payload = request.Payload;
            if (payload is null)
            {
                Error("payload", "payload is required with actionType.");
                return (null, errors);
            }

            url = payload.Url;
            waitUntil = payload.WaitUntil;
            viewport = payload.Viewport;
            ValidateUrl(url, "payload.url", Error);
            ValidateViewport(viewport, "payload.viewport", Error);

            actions = actionType == "screenshot"
                ? [new JobAction { Action = "screenshot", FullPage = payload.FullPage, Format = payload.Format, Quality = payload.Quality, Target = payload.Selector }]
                : [];
            if (actionType == "screenshot")
                ValidateScreenshot(actions[0], "payload", Error);
            waitUntil = ValidateWaitUntil(waitUntil, "payload.waitUntil", Error);
        }
        else
        {
            actionType = "actions";
            url = request.Url;
            viewport = request.Viewport;
            ValidateUrl(url, "url", Error);
            ValidateViewport(viewport, "viewport", Error);
            waitUntil = ValidateWaitUntil(request.WaitUntil, "waitUntil", Error);

            actions = request.Actions ?? [];
            if (request.Actions is null)
                Error("actions", "Provide actionType + payload, or url + actions.");
            if (actions.Count > MaxActions)
                Error("actions", $"At most {MaxActions} actions per job.");

            for (var i = 0; i < actions.Count && i < MaxActions; i++)
                ValidateStep(actions[i], $"actions[{i}]", Error);
        }

        if (errors.Count > 0)
            return (null, errors);

        return (new JobSpecification(request.BrowserTypeId!.Value, actionType, url!, actions, waitUntil!, viewport, priority, timeoutMs)
        {
            MaxRetries = maxRetries,
            UserAgent = request.UserAgent,
            Options = request.Options,
        }, errors);
    }

    static void ValidateStep(JobAction? step, string path, Action<string, string> error)
    {
        if (step is null)
        {
            error(path, "An action must be an object.");
            return;
        }

        var name = step.Action;
        if (!StepActions.Contains(name))
        {
            error($"{path}.action", $"Unknown action '{name}'. Supported: {string.Join(", ", StepActions)}.");
            return;
        }

        switch (name)
        {
            case "goto":
                ValidateUrl(step.Url ?? step.Value, $"{path}.url", error);
                break;
            case "wait":
                if (step.Milliseconds is null or < 0 or > MaxTimeoutMs)
                    error($"{path}.milliseconds", $"wait needs milliseconds between 0 and {MaxTimeoutMs}.");
                break;
            case "screenshot":
                ValidateScreenshot(step, path, error);
                break;
        }
    }

    static void ValidateScreenshot(JobAction step, string path, Action<string, string> error)
    {
        var format = step.Format ?? "png";
        if (!Formats.Contains(format))
            error($"{path}.format", "format must be png or jpeg.");
        if (step.Quality is { } quality)
        {
            if (format != "jpeg")
                error($"{path}.quality", "quality applies to jpeg screenshots only.");
            else if (quality is < 0 or > 100)
                error($"{path}.quality", "quality must be between 0 and 100.");
        }
    }

    static string? ValidateWaitUntil(string? value, string path, Action<string, string> error)
    {
        if (value is null)
            return "load";
        if (!WaitUntilValues.Contains(value))
            error(path, $"waitUntil must be one of: {string.Join(", ", WaitUntilValues)}.");
        return value;
    }

    static void ValidateViewport(Viewport? viewport, string path, Action<string, string> error)
    {
        if (viewport is null)
            return;
        if (viewport.Width is < 1 or > 7680)
            error($"{path}.width", "width must be between 1 and 7680.");
        if (viewport.Height is < 1 or > 7680)
            error($"{path}.height", "height must be between 1 and 7680.");
    }

    static void ValidateUrl(string? url, string path, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            error(path, "A URL is required.");
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            error(path, "Must be an absolute http or https URL.");
    }
}
