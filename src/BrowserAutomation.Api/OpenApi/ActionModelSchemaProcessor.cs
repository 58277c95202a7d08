using BrowserAutomation.Api.Actions;
using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Contracts;
using NJsonSchema;
using NJsonSchema.Generation;

namespace BrowserAutomation.Api.OpenApi;

/// <summary>
/// Lists the allowed values of the action model's string fields as enums (the action discriminator first) and adds a
/// table of which fields each action uses, so the document says what the validator enforces.
/// </summary>
public sealed class ActionModelSchemaProcessor : ISchemaProcessor
{
    const string ActionTable = """
        Discriminated by `action`. Fields per action:

        | action | fields |
        |---|---|
        | goto | url (or value), waitUntil |
        | click, check, uncheck, hover | target |
        | fill | target, value (an empty string clears), sensitive |
        | type | target, value, delay (ms between keys), sensitive |
        | press | value (a key such as Enter or Control+A), target (optional) |
        | select | target, value (one option) or values (several) |
        | scroll | target (into view), or x and/or y pixels |
        | wait | milliseconds (at most the job's timeoutMs) |
        | waitForSelector | target, state: visible (default), attached, hidden, detached |
        | waitForLoadState | state: load (default), domcontentloaded, networkidle |
        | screenshot | fullPage, target (one element), clip, format png/jpeg, quality (jpeg), omitBackground (png); fullPage goes with neither clip nor target |
        | pdf | format (paper: Letter, Legal, Tabloid, Ledger, A0-A6), landscape, printBackground, margin, scale (0.1-2), pageRanges |
        | extract | name (unique), target, attribute (textContent, innerText, innerHTML, value, or an attribute such as href), multiple |
        | evaluate | expression, name; refused unless the deployment sets EVALUATE_ENABLED=true (trusted clients only: it runs arbitrary JavaScript) |

        Targets: `target` + `getTargetBy` (getBySelector, the default, takes CSS or XPath; getByRole takes an ARIA role such as button, with
        the accessible name in `roleName`), `exact`, `nth` (0-based), `frame` (CSS selector of an iframe), and a per-step `timeoutMs`
        within the job's timeoutMs.
        """;

    public void Process(SchemaProcessorContext context)
    {
        var type = context.ContextualType.Type;
        var schema = context.Schema;

        if (type == typeof(JobAction))
        {
            Enum(schema, "action", JobRequestValidator.Actions);
            Enum(schema, "getTargetBy", JobRequestValidator.TargetStrategies);
            Enum(schema, "waitUntil", JobRequestValidator.WaitUntilValues);
            Enum(schema, "state", JobRequestValidator.SelectorStates.Concat(JobRequestValidator.LoadStates));
            Enum(schema, "format", JobRequestValidator.ScreenshotFormats.Concat(JobRequestValidator.PdfFormats));
            schema.Description = $"{schema.Description}\n\n{ActionTable}";
        }
        else if (type == typeof(SubmitJob))
        {
            Enum(schema, "actionType", JobRequestValidator.ActionTypes);
            Enum(schema, "waitUntil", JobRequestValidator.WaitUntilValues);
        }
        else if (type == typeof(JobPayload))
        {
            Enum(schema, "waitUntil", JobRequestValidator.WaitUntilValues);
            Enum(schema, "format", JobRequestValidator.ScreenshotFormats.Concat(JobRequestValidator.PdfFormats));
        }
        else if (type == typeof(FormFillStep))
        {
            Enum(schema, "type", JobRequestValidator.FormFillTypes);
        }
        else if (type == typeof(JobOptions))
        {
            Enum(schema, "colorScheme", JobRequestValidator.ColorSchemes);
            if (schema.Properties.TryGetValue("blockResources", out var block) && block.Item is { } item)
                SetEnum(item, JobRequestValidator.BlockableResources);
        }
        else if (type == typeof(JobCookie))
        {
            Enum(schema, "sameSite", JobRequestValidator.SameSiteValues);
        }
        else if (type == typeof(ActionRequest))
        {
            Enum(schema, "waitUntil", JobRequestValidator.WaitUntilValues);
        }
        else if (type == typeof(ScreenshotActionRequest))
        {
            Enum(schema, "format", JobRequestValidator.ScreenshotFormats);
        }
        else if (type == typeof(PdfActionRequest))
        {
            Enum(schema, "format", JobRequestValidator.PdfFormats);
        }
    }

    static void Enum(JsonSchema schema, string property, IEnumerable<string> values)
    {
        if (schema.Properties.TryGetValue(property, out var found))
            SetEnum(found, values);
    }

    static void SetEnum(JsonSchema schema, IEnumerable<string> values)
    {
        schema.Type |= JsonObjectType.String;
        schema.Enumeration.Clear();
        foreach (var value in values)
            schema.Enumeration.Add(value);
    }
}
