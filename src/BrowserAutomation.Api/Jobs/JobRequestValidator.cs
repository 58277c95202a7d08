using System.Text.RegularExpressions;
using BrowserAutomation.Contracts;
using BrowserAutomation.Networking;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// Turns a request (the seed's actionType + payload form, or url + actions) into one normalised
/// <see cref="JobSpecification"/>, or into field errors keyed by JSON path (<c>actions[3].target</c>,
/// <c>payload.extractors[0].name</c>). Every problem is reported at once. The worker checks the same rules again
/// before any browser work; this is where clients hear about them, before anything is stored.
/// </summary>
public static partial class JobRequestValidator
{
    public const int MaxTimeoutMs = 300_000;
    public const int MinTimeoutMs = 1_000;
    public const int DefaultTimeoutMs = 30_000;
    public const int MaxPriority = 10;
    public const int MaxActions = 100;
    public const int DefaultMaxRetries = 3;
    public const int MaxRetriesLimit = 10;
    public const int MaxTypeDelayMs = 10_000;

    /// <summary>Every action of the one action model, as spelled in JSON.</summary>
    public static IReadOnlyList<string> Actions { get; } =
    [
        "goto", "click", "fill", "type", "press", "select", "check", "uncheck", "hover", "scroll", "wait", "waitForSelector",
        "waitForLoadState", "screenshot", "pdf", "extract", "evaluate",
    ];

    /// <summary>The seed's single-action forms (actionType).</summary>
    public static IReadOnlyList<string> ActionTypes { get; } = ["screenshot", "visit", "form-fill", "extract", "pdf"];

    /// <summary>The step types of the seed's form-fill payload.</summary>
    public static IReadOnlyList<string> FormFillTypes { get; } = ["fill", "type", "click", "select", "check", "uncheck", "press", "hover"];

    public static IReadOnlyList<string> TargetStrategies { get; } =
        ["getBySelector", "getByText", "getByLabel", "getByRole", "getByPlaceholder", "getByTestId", "getByAltText", "getByTitle"];

    /// <summary>The ARIA roles getByRole accepts (Playwright's AriaRole).</summary>
    public static IReadOnlyList<string> AriaRoles { get; } =
    [
        "alert", "alertdialog", "application", "article", "banner", "blockquote", "button", "caption", "cell", "checkbox", "code",
        "columnheader", "combobox", "complementary", "contentinfo", "definition", "deletion", "dialog", "directory", "document",
        "emphasis", "feed", "figure", "form", "generic", "grid", "gridcell", "group", "heading", "img", "insertion", "link", "list",
        "listbox", "listitem", "log", "main", "marquee", "math", "meter", "menu", "menubar", "menuitem", "menuitemcheckbox",
        "menuitemradio", "navigation", "none", "note", "option", "paragraph", "presentation", "progressbar", "radio", "radiogroup",
        "region", "row", "rowgroup", "rowheader", "scrollbar", "search", "searchbox", "separator", "slider", "spinbutton", "status",
        "strong", "subscript", "superscript", "switch", "tab", "table", "tablist", "tabpanel", "term", "textbox", "time", "timer",
        "toolbar", "tooltip", "tree", "treegrid", "treeitem",
    ];

    public static IReadOnlyList<string> WaitUntilValues { get; } = ["load", "domcontentloaded", "networkidle", "commit"];

    public static IReadOnlyList<string> SelectorStates { get; } = ["visible", "attached", "hidden", "detached"];

    public static IReadOnlyList<string> LoadStates { get; } = ["load", "domcontentloaded", "networkidle"];

    public static IReadOnlyList<string> ScreenshotFormats { get; } = ["png", "jpeg"];

    public static IReadOnlyList<string> PdfFormats { get; } = ["Letter", "Legal", "Tabloid", "Ledger", "A0", "A1", "A2", "A3", "A4", "A5", "A6"];

    public static IReadOnlyList<string> ColorSchemes { get; } = ["light", "dark", "no-preference"];

    /// <summary>Resource types blockResources accepts ("document" would block the page itself).</summary>
    public static IReadOnlyList<string> BlockableResources { get; } =
        ["stylesheet", "image", "media", "font", "script", "texttrack", "xhr", "fetch", "eventsource", "websocket", "manifest", "other"];

    public static IReadOnlyList<string> SameSiteValues { get; } = ["Strict", "Lax", "None"];

    static readonly string[] ExtractProperties = ["textContent", "innerText", "innerHTML", "value"];

    // Actions that act on an element (target required), that may (press, scroll, screenshot), and that take none.
    static readonly string[] TargetRequired = ["click", "fill", "type", "select", "check", "uncheck", "hover", "waitForSelector", "extract"];
    static readonly string[] TargetOptional = ["press", "scroll", "screenshot"];

    /// <param name="request">The submitted request.</param>
    /// <param name="evaluateEnabled">Whether this deployment allows the evaluate action (Jobs:EvaluateEnabled / EVALUATE_ENABLED).</param>
    /// <param name="defaultTimeoutMs">The job timeout when the request sets none (Jobs:DefaultTimeoutMs).</param>
    /// <param name="limits">The deployment's limits (MAX_ACTIONS_PER_JOB, MAX_JOB_TIMEOUT_MS); the defaults when null.</param>
    /// <param name="urlPolicy">The deployment's URL policy (URL_* settings); the built-in denied ranges when null.</param>
    public static (JobSpecification? Job, Dictionary<string, string[]> Errors) Validate(SubmitJob request, bool evaluateEnabled = false,
        int defaultTimeoutMs = DefaultTimeoutMs, JobLimits? limits = null, UrlPolicy? urlPolicy = null)
    {
        var errors = new Errors();
        var (maxActions, maxTimeoutMs) = limits ?? JobLimits.Default;

        if (request.BrowserTypeId is null)
            errors.Add("browserTypeId", "browserTypeId is required (see GET /api/v1/browsers).");

        var priority = request.Priority ?? 0;
        if (priority is < 0 or > MaxPriority)
            errors.Add("priority", $"priority must be between 0 and {MaxPriority}.");

        var maxRetries = request.MaxRetries ?? DefaultMaxRetries;
        if (maxRetries is < 0 or > MaxRetriesLimit)
            errors.Add("maxRetries", $"maxRetries must be between 0 and {MaxRetriesLimit}.");

        if (request.ClientReference is { Length: > 200 })
            errors.Add("clientReference", "clientReference is at most 200 characters.");
        if (request.IdempotencyKey is { Length: > 200 } or { Length: 0 })
            errors.Add("idempotencyKey", "An idempotency key is 1 to 200 characters.");

        // The seed's visit payload names the job's time budget "timeout".
        var timeoutMs = request.TimeoutMs ?? request.Payload?.Timeout ?? defaultTimeoutMs;
        if (timeoutMs < MinTimeoutMs || timeoutMs > maxTimeoutMs)
        {
            var field = request.TimeoutMs is null && request.Payload?.Timeout is not null ? "payload.timeout" : "timeoutMs";
            errors.Add(field, $"{field[(field.IndexOf('.') + 1)..]} must be between {MinTimeoutMs} and {maxTimeoutMs} (milliseconds; MAX_JOB_TIMEOUT_MS).");
            timeoutMs = maxTimeoutMs;
        }

        if (request.UserAgent is { } userAgent && (string.IsNullOrWhiteSpace(userAgent) || HasControlCharacters(userAgent)))
            errors.Add("userAgent", "userAgent must be a non-empty single line.");

        ValidateOptions(request.Options, errors);

        var context = new StepContext(errors, timeoutMs, evaluateEnabled, maxActions, urlPolicy ?? UrlPolicy.Default);
        string? url;
        string? waitUntil;
        Viewport? viewport;
        string actionType;
        List<JobAction> actions;

        if (request.ActionType is not null || request.Payload is not null)
        {
            if (request.Url is not null || request.Actions is not null)
                errors.Add("actionType", "Use either actionType + payload or url + actions, not both.");

            actionType = request.ActionType?.Trim().ToLowerInvariant() ?? "";
            if (!ActionTypes.Contains(actionType))
                errors.Add("actionType", $"actionType must be one of: {string.Join(", ", ActionTypes)}.");

            var payload = request.Payload;
            if (payload is null)
            {
                errors.Add("payload", "payload is required with actionType.");
                return (null, errors.ToDictionary());
            }

            url = payload.Url;
            viewport = payload.Viewport ?? request.Viewport;
            ValidateUrl(url, "payload.url", context);
            ValidateViewport(payload.Viewport, "payload.viewport", errors);
            ValidateViewport(request.Viewport, "viewport", errors);
            waitUntil = Canonical(payload.WaitUntil ?? request.WaitUntil, WaitUntilValues, payload.WaitUntil is null ? "waitUntil" : "payload.waitUntil", "waitUntil", errors) ?? "load";

            RejectForeignPayloadFields(actionType, payload, errors);
            actions = TranslatePayload(actionType, payload, waitUntil, context);
        }
        else
        {
            actionType = "actions";
            url = request.Url;
            viewport = request.Viewport;
            ValidateUrl(url, "url", context);
            ValidateViewport(viewport, "viewport", errors);
            waitUntil = Canonical(request.WaitUntil, WaitUntilValues, "waitUntil", "waitUntil", errors) ?? "load";

            actions = [];
            if (request.Actions is null)
                errors.Add("actions", "Provide actionType + payload, or url + actions.");
            else if (request.Actions.Count > maxActions)
                errors.Add("actions", $"At most {maxActions} actions per job (MAX_ACTIONS_PER_JOB); this job has {request.Actions.Count}.");
            else
            {
                for (var i = 0; i < request.Actions.Count; i++)
                {
                    var index = i;
                    actions.Add(ValidateStep(request.Actions[i], index, field => field is null ? $"actions[{index}]" : $"actions[{index}].{field}", context));
                }
            }
        }

        if (errors.Count > 0)
            return (null, errors.ToDictionary());

        return (new JobSpecification(request.BrowserTypeId!.Value, actionType, url!, actions, waitUntil, viewport, priority, timeoutMs)
        {
            MaxRetries = maxRetries,
            UserAgent = request.UserAgent,
            Options = request.Options,
        }, errors.ToDictionary());
    }

    /// <summary>The seed's single-action payloads, as steps of the one model (error paths stay the payload's own).</summary>
    static List<JobAction> TranslatePayload(string actionType, JobPayload payload, string waitUntil, StepContext context)
    {
        static Func<string?, string> At(string prefix, string selectorField = "selector", string actionField = "type") =>
            field => field switch
            {
                null => prefix,
                "target" => $"{prefix}.{selectorField}",
                "action" => $"{prefix}.{actionField}",
                _ => $"{prefix}.{field}",
            };

        var errors = context.Errors;
        var maxActions = context.MaxActions;
        var actions = new List<JobAction>();
        switch (actionType)
        {
            case "screenshot":
                actions.Add(ValidateStep(new JobAction
                {
                    Action = "screenshot", FullPage = payload.FullPage, Format = payload.Format, Quality = payload.Quality, Target = payload.Selector,
                    OmitBackground = payload.OmitBackground, Clip = payload.Clip,
                }, 0, At("payload", actionField: "actionType"), context));
                break;

            case "pdf":
                actions.Add(ValidateStep(new JobAction
                {
                    Action = "pdf", Format = payload.Format, PrintBackground = payload.PrintBackground, Margin = payload.Margin,
                    Landscape = payload.Landscape, Scale = payload.Scale, PageRanges = payload.PageRanges,
                }, 0, At("payload", actionField: "actionType"), context));
                break;

            case "form-fill":
                if (payload.Actions is not { Count: > 0 } steps)
                {
                    errors.Add("payload.actions", "form-fill needs payload.actions: [{ type, selector, value }, ...].");
                    break;
                }

                if (steps.Count > maxActions - 1)
                {
                    errors.Add("payload.actions", $"At most {maxActions - 1} form-fill steps per job (MAX_ACTIONS_PER_JOB, less one for waitForNavigation).");
                    break;
                }

                for (var i = 0; i < steps.Count; i++)
                {
                    var path = $"payload.actions[{i}]";
                    if (steps[i] is not { } step)
                    {
                        errors.Add(path, "A form-fill step must be an object.");
                        continue;
                    }

                    var type = FormFillTypes.FirstOrDefault(t => t.Equals(step.Type?.Trim(), StringComparison.OrdinalIgnoreCase));
                    if (type is null)
                    {
                        errors.Add($"{path}.type", $"type must be one of: {string.Join(", ", FormFillTypes)}.");
                        continue;
                    }

                    if (type != "press" && string.IsNullOrWhiteSpace(step.Selector))
                    {
                        errors.Add($"{path}.selector", $"A {type} step needs a selector.");
                        continue;
                    }

                    actions.Add(ValidateStep(new JobAction { Action = type, Target = step.Selector, Value = step.Value, Sensitive = step.Sensitive }, i, At(path), context));
                }

                if (payload.WaitForNavigation == true)
                {
                    // A click that navigates has started the navigation when it returns; this waits for the new page.
                    actions.Add(new JobAction { Action = "waitForLoadState", State = waitUntil == "commit" ? "load" : waitUntil });
                }

                break;

            case "extract":
                if (payload.Extractors is not { Count: > 0 } extractors)
                {
                    errors.Add("payload.extractors", "extract needs payload.extractors: [{ name, selector, attribute, multiple }, ...].");
                    break;
                }

                if (extractors.Count > maxActions)
                {
                    errors.Add("payload.extractors", $"At most {maxActions} extractors per job (MAX_ACTIONS_PER_JOB).");
                    break;
                }

                for (var i = 0; i < extractors.Count; i++)
                {
                    var path = $"payload.extractors[{i}]";
                    if (extractors[i] is not { } extractor)
                    {
                        errors.Add(path, "An extractor must be an object.");
                        continue;
                    }

                    actions.Add(ValidateStep(new JobAction
                    {
                        Action = "extract", Name = extractor.Name, Target = extractor.Selector, Attribute = extractor.Attribute, Multiple = extractor.Multiple,
                    }, i, At(path), context));
                }

                break;
        }

        return actions;
    }

    static void RejectForeignPayloadFields(string actionType, JobPayload payload, Errors errors)
    {
        void Only(bool present, string field, params string[] types)
        {
            if (present && ActionTypes.Contains(actionType) && !types.Contains(actionType))
                errors.Add($"payload.{field}", $"payload.{field} applies to actionType {string.Join(" or ", types)} only.");
        }

        Only(payload.FullPage is not null, "fullPage", "screenshot");
        Only(payload.Quality is not null, "quality", "screenshot");
        Only(payload.Selector is not null, "selector", "screenshot");
        Only(payload.OmitBackground is not null, "omitBackground", "screenshot");
        Only(payload.Clip is not null, "clip", "screenshot");
        Only(payload.Format is not null, "format", "screenshot", "pdf");
        Only(payload.Actions is not null, "actions", "form-fill");
        Only(payload.WaitForNavigation is not null, "waitForNavigation", "form-fill");
        Only(payload.Extractors is not null, "extractors", "extract");
        Only(payload.PrintBackground is not null, "printBackground", "pdf");
        Only(payload.Margin is not null, "margin", "pdf");
        Only(payload.Landscape is not null, "landscape", "pdf");
        Only(payload.Scale is not null, "scale", "pdf");
        Only(payload.PageRanges is not null, "pageRanges", "pdf");
    }

    /// <summary>Checks one step; returns it with its action, getTargetBy and enum values in canonical spelling.</summary>
    static JobAction ValidateStep(JobAction? step, int index, Func<string?, string> at, StepContext context)
    {
        var errors = context.Errors;
        if (step is null)
        {
            errors.Add(at(null), "An action must be an object.");
            return new JobAction { Action = "" };
        }

        var action = Actions.FirstOrDefault(a => a.Equals(step.Action?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (action is null)
        {
            errors.Add(at("action"), $"Unknown action '{Shorten(step.Action)}'. Supported: {string.Join(", ", Actions)}.");
            return step;
        }

        step = step with { Action = action };
        if (step.TimeoutMs is { } stepTimeout && (stepTimeout < 1 || stepTimeout > context.JobTimeoutMs))
            errors.Add(at("timeoutMs"), $"timeoutMs must be between 1 and the job's timeoutMs ({context.JobTimeoutMs}).");

        var hasTargetOptions = step.GetTargetBy is not null || step.Nth is not null || step.Exact is not null || step.RoleName is not null;
        if (TargetRequired.Contains(action) || step.Target is not null || (TargetOptional.Contains(action) && hasTargetOptions))
        {
            if (!TargetRequired.Contains(action) && !TargetOptional.Contains(action))
                errors.Add(at("target"), TargetlessMessage(action));
            else
                step = ValidateTarget(step, at, errors);
        }
        else if (hasTargetOptions)
        {
            errors.Add(at(step.GetTargetBy is not null ? "getTargetBy" : step.Nth is not null ? "nth" : step.Exact is not null ? "exact" : "roleName"),
                TargetlessMessage(action));
        }

        if (step.Frame is { } frame && string.IsNullOrWhiteSpace(frame))
            errors.Add(at("frame"), "frame must be a CSS selector of an iframe.");

        switch (action)
        {
            case "goto":
                ValidateUrl(step.Url ?? step.Value, at(step.Url is null && step.Value is not null ? "value" : "url"), context);
                if (step.Url is not null && step.Value is not null && step.Url != step.Value)
                    errors.Add(at("value"), "goto takes the URL in url (or value), not two different ones.");
                step = step with { WaitUntil = Canonical(step.WaitUntil, WaitUntilValues, at("waitUntil"), "waitUntil", errors) };
                break;

            case "fill":
                if (step.Value is null)
                    errors.Add(at("value"), "fill needs a value (an empty string clears the field).");
                break;

            case "type":
                if (string.IsNullOrEmpty(step.Value))
                    errors.Add(at("value"), "type needs a value to type.");
                if (step.Delay is < 0 or > MaxTypeDelayMs)
                    errors.Add(at("delay"), $"delay must be between 0 and {MaxTypeDelayMs} ms.");
                break;

            case "press":
                if (string.IsNullOrWhiteSpace(step.Value))
                    errors.Add(at("value"), "press needs a key in value, e.g. Enter, Tab, ArrowDown or Control+A.");
                break;

            case "select":
                if (step.Value is not null && step.Values is not null)
                    errors.Add(at("values"), "select takes value (one option) or values (several), not both.");
                else if (step.Value is null && step.Values is not { Count: > 0 })
                    errors.Add(at("value"), "select needs a value or a non-empty values list.");
                else if (step.Values?.Any(v => v is null) == true)
                    errors.Add(at("values"), "values must not contain null.");
                break;

            case "scroll":
                if (step.Target is not null && (step.X is not null || step.Y is not null))
                    errors.Add(at(step.X is not null ? "x" : "y"), "scroll takes a target (scroll it into view) or x/y (scroll by pixels), not both.");
                else if (step.Target is null && step.X is null && step.Y is null)
                    errors.Add(at("target"), "scroll needs a target, or x and/or y pixels to scroll by.");
                break;

            case "wait":
                if (step.Milliseconds is not { } milliseconds || milliseconds < 0 || milliseconds > context.JobTimeoutMs)
                    errors.Add(at("milliseconds"), $"wait needs milliseconds between 0 and the job's timeoutMs ({context.JobTimeoutMs}).");
                break;

            case "waitForSelector":
                step = step with { State = Canonical(step.State, SelectorStates, at("state"), "state", errors) };
                break;

            case "waitForLoadState":
                step = step with { State = Canonical(step.State, LoadStates, at("state"), "state", errors) };
                break;

            case "screenshot":
                step = ValidateScreenshot(step, at, errors);
                break;

            case "pdf":
                step = ValidatePdf(step, at, errors);
                break;

            case "extract":
                if (string.IsNullOrWhiteSpace(step.Name))
                    errors.Add(at("name"), "extract needs a name for its result.");
                else
                    context.ClaimName(step.Name, at("name"));
                if (step.Attribute is { } attribute)
                {
                    if (ExtractProperties.FirstOrDefault(p => p.Equals(attribute.Trim(), StringComparison.OrdinalIgnoreCase)) is { } property)
                        step = step with { Attribute = property };
                    else if (!AttributeNamePattern().IsMatch(attribute))
                        errors.Add(at("attribute"), "attribute must be textContent, innerText, innerHTML, value or an attribute name such as href.");
                }

                break;

            case "evaluate":
                if (!context.EvaluateEnabled)
                {
                    errors.Add(at("action"),
                        "evaluate is disabled on this service: it runs arbitrary JavaScript in the page, so it is only for deployments whose clients are all trusted (EVALUATE_ENABLED=true).");
                }

                if (string.IsNullOrWhiteSpace(step.Expression))
                    errors.Add(at("expression"), "evaluate needs a JavaScript expression.");
                context.ClaimName(step.Name ?? $"evaluate-{index}", at("name"));
                break;
        }

        return step;
    }

    static JobAction ValidateTarget(JobAction step, Func<string?, string> at, Errors errors)
    {
        if (string.IsNullOrWhiteSpace(step.Target))
            errors.Add(at("target"), $"{step.Action} needs a target (with getTargetBy: {string.Join(", ", TargetStrategies)}).");

        var strategy = "getBySelector";
        if (step.GetTargetBy is { } requested)
        {
            strategy = TargetStrategies.FirstOrDefault(s => s.Equals(requested.Trim(), StringComparison.OrdinalIgnoreCase))!;
            if (strategy is null)
            {
                errors.Add(at("getTargetBy"), $"Unknown getTargetBy '{Shorten(requested)}'. Supported: {string.Join(", ", TargetStrategies)}.");
                return step;
            }

            step = step with { GetTargetBy = strategy };
        }

        if (strategy == "getByRole")
        {
            if (step.Target is { } role && !string.IsNullOrWhiteSpace(role))
            {
                var canonical = AriaRoles.FirstOrDefault(r => r.Equals(role.Trim(), StringComparison.OrdinalIgnoreCase));
                if (canonical is null)
                    errors.Add(at("target"), $"'{Shorten(role)}' is not an ARIA role: getByRole takes a role such as button, link or textbox in target, and the accessible name in roleName.");
                else
                    step = step with { Target = canonical };
            }
        }
        else if (step.RoleName is not null)
        {
            errors.Add(at("roleName"), "roleName applies to getByRole only.");
        }

        if (step.Exact is not null && strategy is "getBySelector" or "getByTestId")
            errors.Add(at("exact"), $"exact does not apply to {strategy} (it matches text: getByText, getByLabel, getByRole, getByPlaceholder, getByAltText, getByTitle).");

        if (step.Nth is < 0)
            errors.Add(at("nth"), "nth must be 0 or more (0 is the first match).");

        return step;
    }

    static JobAction ValidateScreenshot(JobAction step, Func<string?, string> at, Errors errors)
    {
        var format = Canonical(step.Format, ScreenshotFormats, at("format"), "format", errors) ?? "png";
        step = step with { Format = step.Format is null ? null : format };

        if (step.Quality is { } quality)
        {
            if (format != "jpeg")
                errors.Add(at("quality"), "quality applies to jpeg screenshots only (png is lossless).");
            else if (quality is < 0 or > 100)
                errors.Add(at("quality"), "quality must be between 0 and 100.");
        }

        if (step.OmitBackground == true && format == "jpeg")
            errors.Add(at("omitBackground"), "omitBackground needs png: JPEG has no transparency.");

        if (step.Clip is { } clip)
        {
            if (clip.X < 0 || clip.Y < 0 || clip.Width <= 0 || clip.Height <= 0 || double.IsNaN(clip.X + clip.Y + clip.Width + clip.Height))
                errors.Add(at("clip"), "clip needs x, y >= 0 and a positive width and height.");
            if (step.FullPage == true)
                errors.Add(at("fullPage"), "fullPage and clip cannot be combined: clip already names the area (in page coordinates).");
        }

        if (step.Target is not null && step.FullPage == true)
            errors.Add(at("fullPage"), "An element screenshot (target) cannot be fullPage: it is the element's own box.");
        if (step.Target is not null && step.Clip is not null)
            errors.Add(at("clip"), "An element screenshot (target) takes no clip.");

        return step;
    }

    static JobAction ValidatePdf(JobAction step, Func<string?, string> at, Errors errors)
    {
        if (step.Format is { } format)
            step = step with { Format = Canonical(format, PdfFormats, at("format"), "pdf format", errors) };

        if (step.Scale is { } scale && (double.IsNaN(scale) || scale < 0.1 || scale > 2))
            errors.Add(at("scale"), "scale must be between 0.1 and 2.");

        if (step.Margin is { } margin)
        {
            foreach (var (side, value) in new[] { ("top", margin.Top), ("right", margin.Right), ("bottom", margin.Bottom), ("left", margin.Left) })
            {
                if (value is not null && !LengthPattern().IsMatch(value.Trim()))
                    errors.Add(at($"margin.{side}"), $"'{Shorten(value)}' is not a length such as 10px, 1cm, 5mm or 0.5in.");
            }
        }

        if (step.PageRanges is { } ranges && !PageRangesPattern().IsMatch(ranges))
            errors.Add(at("pageRanges"), $"pageRanges '{Shorten(ranges)}' must look like \"1-3, 5\".");

        return step;
    }

    static void ValidateOptions(JobOptions? options, Errors errors)
    {
        if (options is null)
            return;

        if (options.Locale is { } locale && !LocalePattern().IsMatch(locale))
            errors.Add("options.locale", $"'{Shorten(locale)}' is not a locale such as en-GB or de.");

        if (options.TimezoneId is { } timezone && !TimeZoneInfo.TryFindSystemTimeZoneById(timezone, out _))
            errors.Add("options.timezoneId", $"'{Shorten(timezone)}' is not a known time zone such as Europe/Paris or America/New_York.");

        if (options.ColorScheme is { } scheme && !ColorSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase))
            errors.Add("options.colorScheme", $"colorScheme must be one of: {string.Join(", ", ColorSchemes)}.");

        foreach (var (name, value) in options.ExtraHttpHeaders ?? new Dictionary<string, string>())
        {
            if (!HeaderNamePattern().IsMatch(name))
                errors.Add("options.extraHttpHeaders", $"'{Shorten(name)}' is not a valid header name.");
            else if (value is null || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
                errors.Add($"options.extraHttpHeaders.{name}", "A header value must be a single line.");
        }

        for (var i = 0; i < (options.Cookies?.Count ?? 0); i++)
            ValidateCookie(options.Cookies![i], $"options.cookies[{i}]", errors);

        if (options.HttpCredentials is { } credentials)
        {
            if (string.IsNullOrEmpty(credentials.Username))
                errors.Add("options.httpCredentials.username", "httpCredentials needs a username.");
            if (credentials.Password is null)
                errors.Add("options.httpCredentials.password", "httpCredentials needs a password.");
        }

        for (var i = 0; i < (options.BlockResources?.Count ?? 0); i++)
        {
            var type = options.BlockResources![i];
            if (type == "document")
                errors.Add($"options.blockResources[{i}]", "'document' cannot be blocked: that would block the page itself.");
            else if (type is null || !BlockableResources.Contains(type))
                errors.Add($"options.blockResources[{i}]", $"Unknown resource type '{Shorten(type)}'. Supported: {string.Join(", ", BlockableResources)}.");
        }

        if (options.DeviceScaleFactor is { } factor && (double.IsNaN(factor) || factor < 1 || factor > 4))
            errors.Add("options.deviceScaleFactor", "deviceScaleFactor must be between 1 and 4.");

        if (options.Device is { } device && !DeviceCatalog.Contains(device))
        {
            var close = DeviceCatalog.All.Where(d => d.Contains(device.Trim(), StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).Take(5).ToList();
            errors.Add("options.device", $"Unknown device '{Shorten(device)}': device must be a Playwright device name such as 'Pixel 7' or 'iPhone 13'"
                + (close.Count > 0 ? $" (did you mean {string.Join(", ", close.Select(c => $"'{c}'"))}?)." : "."));
        }
    }

    static void ValidateCookie(JobCookie? cookie, string path, Errors errors)
    {
        if (cookie is null)
        {
            errors.Add(path, "A cookie must be an object.");
            return;
        }

        if (string.IsNullOrWhiteSpace(cookie.Name))
            errors.Add($"{path}.name", "A cookie needs a name.");
        if (cookie.Value is null)
            errors.Add($"{path}.value", "A cookie needs a value.");

        if (cookie.Url is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                errors.Add($"{path}.url", "url must be an absolute http or https URL.");
            if (cookie.Domain is not null)
                errors.Add($"{path}.domain", "A cookie takes url, or domain + path, not both.");
            if (cookie.Path is not null)
                errors.Add($"{path}.path", "path goes with domain; with url the path is the URL's.");
        }
        else if (string.IsNullOrWhiteSpace(cookie.Domain))
        {
            errors.Add($"{path}.url", "A cookie needs url, or domain + path.");
        }
        else if (cookie.Path is { } cookiePath && !cookiePath.StartsWith('/'))
        {
            errors.Add($"{path}.path", "path must start with '/' (it defaults to '/').");
        }

        if (cookie.SameSite is { } sameSite && !SameSiteValues.Contains(sameSite, StringComparer.OrdinalIgnoreCase))
            errors.Add($"{path}.sameSite", $"sameSite must be one of: {string.Join(", ", SameSiteValues)}.");
    }

    /// <summary>The allowed value in its canonical spelling (matched case-insensitively); null when absent or wrong.</summary>
    static string? Canonical(string? value, IReadOnlyList<string> allowed, string path, string what, Errors errors)
    {
        if (value is null)
            return null;
        var match = allowed.FirstOrDefault(a => a.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
            errors.Add(path, $"{what} must be one of: {string.Join(", ", allowed)}.");
        return match;
    }

    static string TargetlessMessage(string action) => action switch
    {
        "wait" => "wait takes no target: it waits milliseconds. To wait for an element use waitForSelector.",
        "waitForLoadState" => "waitForLoadState takes no target. To wait for an element use waitForSelector.",
        _ => $"{action} takes no target.",
    };

    static void ValidateViewport(Viewport? viewport, string path, Errors errors)
    {
        if (viewport is null)
            return;
        if (viewport.Width is < 1 or > 7680)
            errors.Add($"{path}.width", "width must be between 1 and 7680.");
        if (viewport.Height is < 1 or > 7680)
            errors.Add($"{path}.height", "height must be between 1 and 7680.");
    }

    /// <summary>
    /// An absolute http(s) URL that the deployment's URL policy accepts without DNS (scheme, credentials, host lists,
    /// literal addresses in any spelling). Names that resolve to a denied address are refused by the worker's egress proxy.
    /// </summary>
    static void ValidateUrl(string? url, string path, StepContext context)
    {
        var errors = context.Errors;
        if (string.IsNullOrWhiteSpace(url))
        {
            errors.Add(path, "A URL is required.");
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            errors.Add(path, "Must be an absolute http or https URL.");
        else if (context.UrlPolicy.CheckUrl(url) is { Allowed: false } refused)
            errors.Add(path, $"url_blocked: {refused.Reason} (URL policy; see URL_ALLOWED_NETWORKS, URL_ALLOWED_HOSTS).");
    }

    static bool HasControlCharacters(string value) => value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0;

    static string Shorten(string? value) => value is null ? "null" : value.Length <= 60 ? value : value[..57] + "...";

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalePattern();

    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderNamePattern();

    [GeneratedRegex(@"^\d+(\.\d+)?\s*(px|in|cm|mm)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LengthPattern();

    [GeneratedRegex(@"^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex PageRangesPattern();

    [GeneratedRegex(@"^[A-Za-z_:][-A-Za-z0-9_:.]*$", RegexOptions.CultureInvariant)]
    private static partial Regex AttributeNamePattern();

    /// <summary>Field errors in the order found; a field may collect several messages.</summary>
    sealed class Errors
    {
        readonly Dictionary<string, List<string>> _errors = [];

        public int Count => _errors.Count;

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var messages))
                _errors[field] = messages = [];
            if (!messages.Contains(message))
                messages.Add(message);
        }

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    /// <summary>The deployment's bounds on a job (Jobs:MaxActionsPerJob / MAX_ACTIONS_PER_JOB, Jobs:MaxTimeoutMs / MAX_JOB_TIMEOUT_MS).</summary>
    public sealed record JobLimits(int MaxActions, int MaxTimeoutMs)
    {
        public static JobLimits Default { get; } = new(JobRequestValidator.MaxActions, JobRequestValidator.MaxTimeoutMs);
    }

    /// <summary>What steps are checked against: the job's budget, the deployment's evaluate switch, the result names used so far.</summary>
    sealed class StepContext(Errors errors, int jobTimeoutMs, bool evaluateEnabled, int maxActions, UrlPolicy urlPolicy)
    {
        readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public Errors Errors { get; } = errors;

        public int JobTimeoutMs { get; } = jobTimeoutMs;

        public bool EvaluateEnabled { get; } = evaluateEnabled;

        public int MaxActions { get; } = maxActions;

        public UrlPolicy UrlPolicy { get; } = urlPolicy;

        public void ClaimName(string name, string path)
        {
            if (!_names.Add(name))
                Errors.Add(path, $"Another step already returns a value named '{Shorten(name)}'; names must be unique.");
        }
    }
}
