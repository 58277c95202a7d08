using System.Text.RegularExpressions;

namespace BrowserAutomation.Contracts.Actions;

/// <summary>The extract action's rules: which fields go with which read, and the bounds of what it returns.</summary>
public static partial class ExtractRules
{
    /// <summary>The most items multiple, list and table return (and their default).</summary>
    public const int MaxItems = 1000;

    /// <summary>The most named values of a read list.</summary>
    public const int MaxFields = 50;

    /// <summary>The largest value one extract step returns, as UTF-8 JSON.</summary>
    public const int MaxValueBytes = 1024 * 1024;

    /// <summary>The read a checked step performs: its read, else the one its fields imply, else attribute.</summary>
    /// <param name="step">An extract step.</param>
    public static string ReadOf(JobAction step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Read ?? (step.State is not null ? "state" : step.Property is not null ? "property" : step.Fields is not null ? "list" : "attribute");
    }

    internal static JobAction Check(JobAction step, StepCheck check)
    {
        if (!string.IsNullOrWhiteSpace(step.Name))
        {
            check.Context.ClaimName(step.Name, check.At("name"));
        }

        if (check.HasProblem("read"))
        {
            return step;
        }

        var read = ReadOf(step);
        Only(step.Attribute is not null, "attribute", read, "attribute", check);
        Only(step.State is not null, "state", read, "state", check);
        Only(step.Property is not null, "property", read, "property", check);
        Only(step.Fields is not null, "fields", read, "list", check);
        if (step.Multiple is not null && read is not ("attribute" or "state" or "property"))
        {
            check.Problem("multiple", $"multiple applies to read attribute, state or property; read {read} returns {(read == "count" ? "a number" : "an array")} already.");
        }

        if (step.MaxItems is not null && read is not ("list" or "table") && step.Multiple != true)
        {
            check.Problem("maxItems", "maxItems applies to multiple, read list and read table.");
        }

        switch (read)
        {
            case "attribute" when step.Attribute is not null:
                return step with { Attribute = CheckAttribute(step.Attribute, "attribute", check) };
            case "state" when step.State is null:
                check.Problem("state", $"read state needs state: {string.Join(", ", ActionValues.ExtractStates)}.");
                break;
            case "property":
                CheckProperty(step.Property, "property", check);
                break;
            case "list":
                return step with { Read = read, Fields = CheckFields(step.Fields, check) };
        }

        // Legacy steps (text or an attribute) stay as submitted; any other read is written out.
        return read == "attribute" && step.Read is null ? step : step with { Read = read };
    }

    private static void Only(bool given, string field, string read, string wanted, StepCheck check)
    {
        if (given && read != wanted)
        {
            check.Problem(field, $"{field} applies to read {wanted}, not read {read}.");
        }
    }

    private static Dictionary<string, ExtractField>? CheckFields(IReadOnlyDictionary<string, ExtractField>? fields, StepCheck check)
    {
        if (fields is not { Count: > 0 })
        {
            check.Problem("fields", "read list needs fields: result key -> {selector, attribute | property}, e.g. {\"name\": {\"selector\": \".name\"}}.");
            return null;
        }

        if (fields.Count > MaxFields)
        {
            check.Problem("fields", $"read list takes at most {MaxFields} fields.");
        }

        var canonical = new Dictionary<string, ExtractField>(StringComparer.Ordinal);
        foreach (var (key, field) in fields)
        {
            var at = $"fields.{key}";
            if (string.IsNullOrWhiteSpace(key))
            {
                check.Problem("fields", "A field's key must not be blank.");
                continue;
            }

            if (field is null)
            {
                check.Problem(at, "A field must be an object: {selector, attribute | property}.");
                continue;
            }

            if (field.Selector is { } selector && string.IsNullOrWhiteSpace(selector))
            {
                check.Problem($"{at}.selector", "selector must not be blank (leave it out to read the match itself).");
            }

            if (field.Attribute is not null && field.Property is not null)
            {
                check.Problem($"{at}.property", "A field reads an attribute or a property, not both.");
            }

            CheckProperty(field.Property, $"{at}.property", check, optional: true);
            canonical[key] = field.Attribute is { } attribute ? field with { Attribute = CheckAttribute(attribute, $"{at}.attribute", check) } : field;
        }

        return canonical;
    }

    private static string CheckAttribute(string attribute, string field, StepCheck check)
    {
        if (ActionValues.Canonical(attribute, ActionValues.ExtractProperties) is { } property)
        {
            return property;
        }

        if (!AttributeNamePattern().IsMatch(attribute))
        {
            check.Problem(field, "attribute must be textContent, innerText, innerHTML, value or an attribute name such as href.");
        }

        return attribute;
    }

    private static void CheckProperty(string? property, string field, StepCheck check, bool optional = false)
    {
        if (property is null && optional)
        {
            return;
        }

        if (property is null || property.Length > 200 || !PropertyPattern().IsMatch(property))
        {
            check.Problem(field, "property must be a DOM property name such as value, checked, selectedIndex or a path such as dataset.id.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z_:][-A-Za-z0-9_:.]*$", RegexOptions.CultureInvariant)]
    private static partial Regex AttributeNamePattern();

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyPattern();
}
