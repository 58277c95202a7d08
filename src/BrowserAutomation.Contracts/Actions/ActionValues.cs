namespace BrowserAutomation.Contracts.Actions;

/// <summary>The allowed values of the action model's enum-like fields, each in its canonical spelling, listed once.</summary>
public static class ActionValues
{
    /// <summary>How a target is found; getBySelector (CSS or XPath) is the default.</summary>
    public static IReadOnlyList<string> TargetStrategies { get; } =
        ["getBySelector", "getByText", "getByLabel", "getByRole", "getByPlaceholder", "getByTestId", "getByAltText", "getByTitle"];

    /// <summary>The ARIA roles getByRole accepts; a test keeps them equal to Playwright's AriaRole enum.</summary>
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

    /// <summary>When a navigation counts as done.</summary>
    public static IReadOnlyList<string> WaitUntilValues { get; } = ["load", "domcontentloaded", "networkidle", "commit"];

    /// <summary>The states waitForSelector waits for.</summary>
    public static IReadOnlyList<string> SelectorStates { get; } = ["visible", "attached", "hidden", "detached"];

    /// <summary>The states waitForLoadState waits for.</summary>
    public static IReadOnlyList<string> LoadStates { get; } = ["load", "domcontentloaded", "networkidle"];

    /// <summary>Screenshot image formats.</summary>
    public static IReadOnlyList<string> ScreenshotFormats { get; } = ["png", "jpeg"];

    /// <summary>PDF paper formats (Playwright's).</summary>
    public static IReadOnlyList<string> PdfFormats { get; } = ["Letter", "Legal", "Tabloid", "Ledger", "A0", "A1", "A2", "A3", "A4", "A5", "A6"];

    /// <summary>The element properties extract reads by name; any other attribute value is an HTML attribute name.</summary>
    public static IReadOnlyList<string> ExtractProperties { get; } = ["textContent", "innerText", "innerHTML", "value"];

    /// <summary>What extract reads: text or an attribute (the default), element state, a DOM property, the count of matches, records, table rows.</summary>
    public static IReadOnlyList<string> ExtractReads { get; } = ["attribute", "state", "property", "count", "list", "table"];

    /// <summary>The element states extract reads (read state).</summary>
    public static IReadOnlyList<string> ExtractStates { get; } = ["checked", "visible", "enabled", "editable"];

    /// <summary>What an assert step checks.</summary>
    public static IReadOnlyList<string> AssertExpectations { get; } = ["text", "visible", "hidden", "count", "url", "title"];

    /// <summary>The allowed value in its canonical spelling (matched case-insensitively, trimmed); null when absent or not allowed.</summary>
    /// <param name="value">The submitted value.</param>
    /// <param name="allowed">The allowed values.</param>
    public static string? Canonical(string? value, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        return value is null ? null : allowed.FirstOrDefault(a => a.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A submitted value quoted in a message: at most 60 characters.</summary>
    /// <param name="value">The value to quote.</param>
    public static string Shorten(string? value) => value is null ? "null" : value.Length <= 60 ? value : value[..57] + "...";
}
