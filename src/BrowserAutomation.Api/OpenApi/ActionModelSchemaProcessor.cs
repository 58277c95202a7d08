using System.Globalization;
using System.Text;
using BrowserAutomation.Api.Actions;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;
using BrowserAutomation.Contracts.Forensics;
using NJsonSchema;
using NJsonSchema.Generation;

namespace BrowserAutomation.Api.OpenApi;

/// <summary>
/// Lists the allowed values of the action model's string fields as enums (the action discriminator first) and adds a
/// table of which fields each action uses, so the document says what the validator enforces.
/// </summary>
public sealed class ActionModelSchemaProcessor : ISchemaProcessor
{
    /// <summary>The per-action field table, from the catalogue.</summary>
    private static readonly string ActionTable = BuildActionTable();

    public void Process(SchemaProcessorContext context)
    {
        var type = context.ContextualType.Type;
        var schema = context.Schema;

        if (type == typeof(JobAction))
        {
            Enum(schema, "action", ActionCatalog.Names);
            Enum(schema, "getTargetBy", ActionValues.TargetStrategies);
            // A field shared by several actions (state, format) lists the values of all of them.
            foreach (var field in ActionCatalog.All.SelectMany(a => a.Fields).Where(f => f.Values is not null).GroupBy(f => f.Name))
            {
                Enum(schema, field.Key, field.SelectMany(f => f.Values!).Distinct());
            }

            schema.Description = $"{schema.Description}\n\n{ActionTable}";
        }
        else if (type == typeof(SubmitJob))
        {
            Enum(schema, "actionType", SingleActionFormTranslator.ActionTypes);
            Enum(schema, "waitUntil", ActionValues.WaitUntilValues);
        }
        else if (type == typeof(JobPayload))
        {
            Enum(schema, "waitUntil", ActionValues.WaitUntilValues);
            Enum(schema, "format", ActionValues.ScreenshotFormats.Concat(ActionValues.PdfFormats));
        }
        else if (type == typeof(FormFillStep))
        {
            Enum(schema, "type", ActionCatalog.FormFillTypes);
        }
        else if (type == typeof(JobOptions))
        {
            Enum(schema, "colorScheme", JobOptionsValidator.ColorSchemes);
            Enum(schema, "trace", ForensicsRules.TraceModes);
            if (schema.Properties.TryGetValue("blockResources", out var block) && block.Item is { } item)
            {
                SetEnum(item, JobOptionsValidator.BlockableResources);
            }
        }
        else if (type == typeof(JobCookie))
        {
            Enum(schema, "sameSite", JobOptionsValidator.SameSiteValues);
        }
        else if (type == typeof(ActionRequest))
        {
            Enum(schema, "waitUntil", ActionValues.WaitUntilValues);
        }
        else if (type == typeof(ScreenshotActionRequest))
        {
            Enum(schema, "format", ActionValues.ScreenshotFormats);
        }
        else if (type == typeof(PdfActionRequest))
        {
            Enum(schema, "format", ActionValues.PdfFormats);
        }
    }

    private static string BuildActionTable()
    {
        var table = new StringBuilder("Discriminated by `action`. Fields per action:\n\n| action | what it does | fields |\n|---|---|---|\n");
        foreach (var action in ActionCatalog.All)
        {
            var fields = action.Fields.Select(Describe).ToList();
            if (action.Target != TargetUse.None)
            {
                fields.Insert(0, action.Target == TargetUse.Required ? "target" : "target (optional)");
            }

            table.Append(CultureInfo.InvariantCulture, $"| {action.Name} | {action.Description} | {string.Join(", ", fields)} |\n");
        }

        return table.Append("""

            Targets: `target` + `getTargetBy` (getBySelector, the default, takes CSS or XPath; getByRole takes an ARIA role such as button, with
            the accessible name in `roleName`), `exact`, `nth` (0-based), `frame` (CSS selector of an iframe), and a per-step `timeoutMs`
            within the job's timeoutMs. The evaluate action is refused unless the deployment sets EVALUATE_ENABLED=true (trusted clients only).
            """).ToString();
    }

    private static string Describe(ActionField field)
    {
        var notes = new List<string>();
        if (field.Presence != Presence.Optional)
        {
            notes.Add("required");
        }

        if (field.Doc is { } doc)
        {
            notes.Add(doc);
        }

        if (field.Values is { } values)
        {
            notes.Add(string.Join("/", values));
        }

        if (field is { Min: { } min, Max: { } max })
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{min}-{max}{field.Unit}"));
        }

        return notes.Count == 0 ? field.Name : $"{field.Name} ({string.Join("; ", notes)})";
    }

    private static void Enum(JsonSchema schema, string property, IEnumerable<string> values)
    {
        if (schema.Properties.TryGetValue(property, out var found))
        {
            SetEnum(found, values);
        }
    }

    private static void SetEnum(JsonSchema schema, IEnumerable<string> values)
    {
        schema.Type |= JsonObjectType.String;
        schema.Enumeration.Clear();
        foreach (var value in values)
        {
            schema.Enumeration.Add(value);
        }
    }
}
