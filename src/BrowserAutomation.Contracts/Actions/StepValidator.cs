using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;

namespace BrowserAutomation.Contracts.Actions;

/// <summary>
/// Checks one step against the <see cref="ActionCatalog"/>: the action, the target fields, each field of the action,
/// then the action's own rule. Every problem is reported (keyed by JSON path); the API runs it at submission, the
/// worker again before any browser work.
/// </summary>
public static class StepValidator
{
    private static readonly Dictionary<string, PropertyInfo> Properties = typeof(JobAction).GetProperties()
        .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonName(p.Name), StringComparer.Ordinal);

    /// <summary>Checks a step; returns it with its action, getTargetBy and enum values in canonical spelling.</summary>
    /// <param name="step">The submitted step (null when the JSON held null).</param>
    /// <param name="index">The step's position, used for default result names.</param>
    /// <param name="at">The JSON path of a field of the step, or of the step itself for null.</param>
    /// <param name="context">The job's context; problems are added to its <see cref="StepValidationContext.Problems"/>.</param>
    public static JobAction Validate(JobAction? step, int index, Func<string?, string> at, StepValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(at);
        ArgumentNullException.ThrowIfNull(context);
        var problems = context.Problems;
        if (step is null)
        {
            problems.Add(at(null), "An action must be an object.");
            return new JobAction { Action = "" };
        }

        if (ActionCatalog.Find(step.Action) is not { } definition)
        {
            problems.Add(at("action"), $"Unknown action '{ActionValues.Shorten(step.Action)}'. Supported: {string.Join(", ", ActionCatalog.Names)}.");
            return step;
        }

        step = step with { Action = definition.Name };
        if (step.TimeoutMs is { } stepTimeout && (stepTimeout < 1 || stepTimeout > context.JobTimeoutMs))
        {
            problems.Add(at("timeoutMs"), $"timeoutMs must be between 1 and the job's timeoutMs ({context.JobTimeoutMs}).");
        }

        var check = new StepCheck(index, at, context);
        step = TargetRules.Check(step, definition, check);
        if (step.Frame is { } frame && string.IsNullOrWhiteSpace(frame))
        {
            check.Problem("frame", "frame must be a CSS selector of an iframe.");
        }

        foreach (var field in definition.Fields)
        {
            step = CheckField(step, field, check);
        }

        return definition.Rule is { } rule ? rule(step, check) : step;
    }

    private static JobAction CheckField(JobAction step, ActionField field, StepCheck check)
    {
        var property = Properties[field.Name];
        var value = property.GetValue(step);
        var missing = field.Presence switch
        {
            Presence.NotNull => value is null,
            Presence.NotEmpty => value is null || value is string { Length: 0 },
            Presence.NotBlank => value is null || (value is string text && string.IsNullOrWhiteSpace(text)),
            _ => false,
        };
        if (missing)
        {
            check.Problem(field.Name, field.MissingMessage ?? $"{step.Action} needs {field.Name}.");
            return step;
        }

        if (field.Values is { } allowed && value is string given)
        {
            if (ActionValues.Canonical(given, allowed) is not { } canonical)
            {
                check.Problem(field.Name, $"{field.Label ?? field.Name} must be one of: {string.Join(", ", allowed)}.");
                return step;
            }

            // init-only properties of a fresh copy: the step the caller holds stays as it was.
            var copy = step with { };
            property.SetValue(copy, canonical);
            return copy;
        }

        if (field is { Min: { } min, Max: { } max } && value is not null and not string)
        {
            var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (double.IsNaN(number) || number < min || number > max)
            {
                check.Problem(field.Name, string.Create(CultureInfo.InvariantCulture, $"{field.Name} must be between {min} and {max}{field.Unit}."));
            }
        }

        return step;
    }

    private static string JsonName(string propertyName) => char.ToLowerInvariant(propertyName[0]) + propertyName[1..];
}
