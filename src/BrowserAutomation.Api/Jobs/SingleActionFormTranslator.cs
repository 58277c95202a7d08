using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// The single-action forms (actionType + payload) as steps of the one model, checked by the shared
/// <see cref="StepValidator"/>; errors keep the payload's own paths (payload.selector, payload.actions[1].type).
/// </summary>
internal static class SingleActionFormTranslator
{
    /// <summary>The single-action forms' actionType values.</summary>
    public static IReadOnlyList<string> ActionTypes { get; } = ["screenshot", "visit", "form-fill", "extract", "pdf"];

    /// <summary>The request's form in the one model; null when there is no payload to translate.</summary>
    public static TranslatedForm? Translate(SubmitJob request, StepValidationContext context, int maxActions)
    {
        var errors = context.Problems;
        if (request.Url is not null || request.Actions is not null)
        {
            errors.Add("actionType", "Use either actionType + payload or url + actions, not both.");
        }

        var actionType = request.ActionType?.Trim().ToLowerInvariant() ?? "";
        if (!ActionTypes.Contains(actionType))
        {
            errors.Add("actionType", $"actionType must be one of: {string.Join(", ", ActionTypes)}.");
        }

        if (request.Payload is not { } payload)
        {
            errors.Add("payload", "payload is required with actionType.");
            return null;
        }

        context.CheckUrl(payload.Url, "payload.url");
        JobRequestValidator.CheckViewport(payload.Viewport, "payload.viewport", errors);
        JobRequestValidator.CheckViewport(request.Viewport, "viewport", errors);
        var waitUntil = JobRequestValidator.Canonical(payload.WaitUntil ?? request.WaitUntil, ActionValues.WaitUntilValues,
            payload.WaitUntil is null ? "waitUntil" : "payload.waitUntil", "waitUntil", errors) ?? "load";

        RejectForeignFields(actionType, payload, errors);
        var actions = actionType switch
        {
            "screenshot" => [Single(new JobAction
            {
                Action = "screenshot", FullPage = payload.FullPage, Format = payload.Format, Quality = payload.Quality, Target = payload.Selector,
                OmitBackground = payload.OmitBackground, Clip = payload.Clip,
            }, context)],
            "pdf" => [Single(new JobAction
            {
                Action = "pdf", Format = payload.Format, PrintBackground = payload.PrintBackground, Margin = payload.Margin,
                Landscape = payload.Landscape, Scale = payload.Scale, PageRanges = payload.PageRanges,
            }, context)],
            "form-fill" => FormFill(payload, waitUntil, context, maxActions),
            "extract" => Extract(payload, context, maxActions),
            _ => new List<JobAction>(),
        };
        return new TranslatedForm(actionType, payload.Url, waitUntil, payload.Viewport ?? request.Viewport, actions);
    }

    /// <summary>Paths of a translated step: its target is the payload's selector, its action the payload's type.</summary>
    private static Func<string?, string> At(string prefix, string actionField = "type") =>
        field => field switch
        {
            null => prefix,
            "target" => $"{prefix}.selector",
            "action" => $"{prefix}.{actionField}",
            _ => $"{prefix}.{field}",
        };

    private static JobAction Single(JobAction step, StepValidationContext context) => StepValidator.Validate(step, 0, At("payload", "actionType"), context);

    private static List<JobAction> FormFill(JobPayload payload, string waitUntil, StepValidationContext context, int maxActions)
    {
        var errors = context.Problems;
        var actions = new List<JobAction>();
        if (payload.Actions is not { Count: > 0 } steps)
        {
            errors.Add("payload.actions", "form-fill needs payload.actions: [{ type, selector, value }, ...].");
            return actions;
        }

        if (steps.Count > maxActions - 1)
        {
            errors.Add("payload.actions", $"At most {maxActions - 1} form-fill steps per job (MAX_ACTIONS_PER_JOB, less one for waitForNavigation).");
            return actions;
        }

        var types = ActionCatalog.FormFillTypes;
        for (var i = 0; i < steps.Count; i++)
        {
            var path = $"payload.actions[{i}]";
            if (steps[i] is not { } step)
            {
                errors.Add(path, "A form-fill step must be an object.");
                continue;
            }

            if (ActionValues.Canonical(step.Type, types) is not { } type)
            {
                errors.Add($"{path}.type", $"type must be one of: {string.Join(", ", types)}.");
                continue;
            }

            if (ActionCatalog.Find(type)!.Target == TargetUse.Required && string.IsNullOrWhiteSpace(step.Selector))
            {
                errors.Add($"{path}.selector", $"A {type} step needs a selector.");
                continue;
            }

            actions.Add(StepValidator.Validate(new JobAction { Action = type, Target = step.Selector, Value = step.Value, Sensitive = step.Sensitive }, i, At(path), context));
        }

        if (payload.WaitForNavigation == true)
        {
            // A click that navigates has started the navigation when it returns; this waits for the new page.
            actions.Add(new JobAction { Action = "waitForLoadState", State = waitUntil == "commit" ? "load" : waitUntil });
        }

        return actions;
    }

    private static List<JobAction> Extract(JobPayload payload, StepValidationContext context, int maxActions)
    {
        var errors = context.Problems;
        var actions = new List<JobAction>();
        if (payload.Extractors is not { Count: > 0 } extractors)
        {
            errors.Add("payload.extractors", "extract needs payload.extractors: [{ name, selector, attribute, multiple }, ...].");
            return actions;
        }

        if (extractors.Count > maxActions)
        {
            errors.Add("payload.extractors", $"At most {maxActions} extractors per job (MAX_ACTIONS_PER_JOB).");
            return actions;
        }

        for (var i = 0; i < extractors.Count; i++)
        {
            var path = $"payload.extractors[{i}]";
            if (extractors[i] is not { } extractor)
            {
                errors.Add(path, "An extractor must be an object.");
                continue;
            }

            actions.Add(StepValidator.Validate(new JobAction
            {
                Action = "extract", Name = extractor.Name, Target = extractor.Selector, Attribute = extractor.Attribute, Multiple = extractor.Multiple,
            }, i, At(path), context));
        }

        return actions;
    }

    private static void RejectForeignFields(string actionType, JobPayload payload, ValidationProblems errors)
    {
        void Only(bool present, string field, params string[] types)
        {
            if (present && ActionTypes.Contains(actionType) && !types.Contains(actionType))
            {
                errors.Add($"payload.{field}", $"payload.{field} applies to actionType {string.Join(" or ", types)} only.");
            }
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
}
