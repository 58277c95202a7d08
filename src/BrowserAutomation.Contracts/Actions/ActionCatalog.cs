namespace BrowserAutomation.Contracts.Actions;

/// <summary>
/// Every action of the model, once: the API validates against it, the worker re-checks with it and has one handler per
/// entry, the OpenAPI document lists it. Adding an action is one entry here plus one handler in the Automation project.
/// </summary>
public static class ActionCatalog
{
    private static readonly ActionField Value = new("value", FieldType.Text);
    private static readonly ActionField Sensitive = new("sensitive", FieldType.Boolean, "a secret: never logged or listed");

    /// <summary>Every action, in the order the documentation lists them.</summary>
    public static IReadOnlyList<ActionDefinition> All { get; } =
    [
        new("goto", "Navigates to url (or value) and waits for waitUntil; the response's status becomes the job's httpStatus.", TargetUse.None)
        {
            Fields = [new("url", FieldType.Text, "or value"), new("waitUntil", FieldType.Text) { Values = ActionValues.WaitUntilValues }],
            Rule = ActionRules.Goto,
        },
        new("click", "Clicks the target.", TargetUse.Required) { FormFill = true },
        new("fill", "Replaces the value of an input, textarea or contenteditable target with value.", TargetUse.Required)
        {
            Fields =
            [
                Value with { Doc = "an empty string clears", Presence = Presence.NotNull, MissingMessage = "fill needs a value (an empty string clears the field)." },
                Sensitive,
            ],
            FormFill = true,
            SecretValues = true,
        },
        new("type", "Types value into the target key by key.", TargetUse.Required)
        {
            Fields =
            [
                Value with { Presence = Presence.NotEmpty, MissingMessage = "type needs a value to type." },
                new("delay", FieldType.WholeNumber, "ms between keys") { Min = 0, Max = 10_000, Unit = " ms" },
                Sensitive,
            ],
            FormFill = true,
            SecretValues = true,
        },
        new("press", "Presses a key (or chord) on the target, or on the page without one.", TargetUse.Optional)
        {
            Fields =
            [
                Value with
                {
                    Doc = "a key such as Enter or Control+A", Presence = Presence.NotBlank,
                    MissingMessage = "press needs a key in value, e.g. Enter, Tab, ArrowDown or Control+A.",
                },
            ],
            FormFill = true,
        },
        new("select", "Selects the option(s) of a select target whose value or label is value, or each of values.", TargetUse.Required)
        {
            Fields = [Value with { Doc = "one option" }, new("values", FieldType.TextList, "several options")],
            FormFill = true,
            SecretValues = true,
            Rule = ActionRules.Select,
        },
        new("check", "Checks a checkbox or radio target.", TargetUse.Required) { FormFill = true },
        new("uncheck", "Unchecks a checkbox target.", TargetUse.Required) { FormFill = true },
        new("hover", "Moves the mouse over the target.", TargetUse.Required) { FormFill = true },
        new("scroll", "Brings the target into view, or without a target scrolls the page by x/y pixels.", TargetUse.Optional)
        {
            Fields = [new("x", FieldType.WholeNumber, "pixels"), new("y", FieldType.WholeNumber, "pixels")],
            Rule = ActionRules.Scroll,
        },
        new("wait", "Waits a number of milliseconds.", TargetUse.None)
        {
            Fields = [new("milliseconds", FieldType.WholeNumber, "at most the job's timeoutMs")],
            NoTargetMessage = "wait takes no target: it waits milliseconds. To wait for an element use waitForSelector.",
            Rule = ActionRules.Wait,
        },
        new("waitForSelector", "Waits until the target reaches state (visible by default).", TargetUse.Required)
        {
            Fields = [new("state", FieldType.Text, "visible by default") { Values = ActionValues.SelectorStates }],
        },
        new("waitForLoadState", "Waits until the page reaches state (load by default).", TargetUse.None)
        {
            Fields = [new("state", FieldType.Text, "load by default") { Values = ActionValues.LoadStates }],
            NoTargetMessage = "waitForLoadState takes no target. To wait for an element use waitForSelector.",
        },
        new("screenshot", "Captures the viewport, the full page, a clip of it or one element (target) as png or jpeg.", TargetUse.Optional)
        {
            Fields =
            [
                new("fullPage", FieldType.Boolean, "goes with neither clip nor target"),
                new("clip", FieldType.Composite, "x, y, width, height in page coordinates"),
                new("format", FieldType.Text) { Values = ActionValues.ScreenshotFormats },
                new("quality", FieldType.WholeNumber, "jpeg only, 0-100"),
                new("omitBackground", FieldType.Boolean, "png only: transparent instead of white"),
            ],
            EngineLimits =
            [
                new("firefox", "omitBackground", s => s.OmitBackground == true,
                    "Firefox over WebDriver BiDi cannot take screenshots with a transparent background. Use Chromium, or drop omitBackground."),
            ],
            Rule = ActionRules.Screenshot,
        },
        new("pdf", "Prints the page to PDF.", TargetUse.None)
        {
            Fields =
            [
                new("format", FieldType.Text, "paper") { Values = ActionValues.PdfFormats, Label = "pdf format" },
                new("landscape", FieldType.Boolean),
                new("printBackground", FieldType.Boolean),
                new("margin", FieldType.Composite, "top, right, bottom, left as CSS lengths"),
                new("scale", FieldType.Number) { Min = 0.1, Max = 2 },
                new("pageRanges", FieldType.Text, "e.g. 1-3, 5"),
            ],
            EngineLimits = [new("webkit", "action", _ => true, "WebKit cannot print pages to PDF. Use Chromium or Firefox for pdf steps.")],
            Rule = ActionRules.Pdf,
        },
        new("extract",
            "Reads the target into the result's extracted values under name: its text or an attribute (read attribute, the default), "
            + "its state (checked, visible, enabled, editable), a DOM property, the count of matches, a list of records (fields read "
            + "relative to each match) or a table's rows (header cells name the keys).", TargetUse.Required)
        {
            Fields =
            [
                new("name", FieldType.Text, "unique") { Presence = Presence.NotBlank, MissingMessage = "extract needs a name for its result." },
                new("read", FieldType.Text, "attribute by default; state, property or fields imply their read") { Values = ActionValues.ExtractReads },
                new("attribute", FieldType.Text, "read attribute: textContent, innerText, innerHTML, value, or an attribute such as href"),
                new("state", FieldType.Text, "read state: a boolean") { Values = ActionValues.ExtractStates, Label = "extract state" },
                new("property", FieldType.Text, "read property: a DOM property such as value, checked or dataset.id"),
                new("fields", FieldType.Composite, "read list: key -> {selector, attribute | property}, relative to each match"),
                new("multiple", FieldType.Boolean, "read attribute, state or property: every match as an array"),
                new("maxItems", FieldType.WholeNumber, "multiple, list, table: the first N (default and most 1000)") { Min = 1, Max = ExtractRules.MaxItems },
            ],
            Rule = ExtractRules.Check,
        },
        new("assert",
            "Waits (timeoutMs, else the target timeout) until expect holds: the target's text, its visibility, the count of matches, "
            + "the page URL or title; when it does not, the job fails as assertion_failed (permanent) with expected and actual values.", TargetUse.Optional)
        {
            Fields =
            [
                new("expect", FieldType.Text)
                {
                    Values = ActionValues.AssertExpectations, Presence = Presence.NotBlank,
                    MissingMessage = "assert needs expect: text, visible, hidden, count, url or title.",
                },
                new("equals", FieldType.Text, "text, url, title: the whole value (text is whitespace-normalised)"),
                new("contains", FieldType.Text, "text, url, title: a part of the value"),
                new("matches", FieldType.Text, "text, url, title: a .NET regular expression"),
                new("ignoreCase", FieldType.Boolean, "text, url, title"),
                new("count", FieldType.WholeNumber, "count: exactly"),
                new("min", FieldType.WholeNumber, "count: at least"),
                new("max", FieldType.WholeNumber, "count: at most"),
            ],
            Rule = AssertRules.Check,
        },
        new("evaluate", "Runs a JavaScript expression in the page (or frame) and returns its JSON result under name (else evaluate-{index}).", TargetUse.None)
        {
            Fields =
            [
                new("expression", FieldType.Text) { Presence = Presence.NotBlank, MissingMessage = "evaluate needs a JavaScript expression." },
                new("name", FieldType.Text, "unique"),
            ],
            Rule = ActionRules.Evaluate,
        },
    ];

    /// <summary>Every action name, as spelled in JSON.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(a => a.Name)];

    /// <summary>The actions whose value/values are secrets (fill, type, select).</summary>
    public static IReadOnlyList<string> WithSecretValues { get; } = [.. All.Where(a => a.SecretValues).Select(a => a.Name)];

    /// <summary>The step types of the single-action form-fill payload.</summary>
    public static IReadOnlyList<string> FormFillTypes { get; } = [.. All.Where(a => a.FormFill).Select(a => a.Name)];

    /// <summary>The action named <paramref name="name"/> (case-insensitive, trimmed); null when there is none.</summary>
    /// <param name="name">The action name as submitted.</param>
    public static ActionDefinition? Find(string? name) =>
        name is null ? null : All.FirstOrDefault(a => a.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
}
