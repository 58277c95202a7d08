using System.Text.Json.Serialization;

namespace BrowserAutomation.Contracts;

/// <summary>
/// One step of a job, discriminated by <see cref="Action"/> (camelCase JSON). The record is flat so that
/// any JSON client (and any serializer) can produce it; validation decides which fields each action needs.
/// </summary>
public sealed record JobAction
{
    /// <summary>The action name: goto, click, fill, screenshot, extract, wait, pdf...</summary>
    public required string Action { get; init; }

    /// <summary>What the action acts on; interpreted according to <see cref="GetTargetBy"/>.</summary>
    public string? Target { get; init; }

    /// <summary>getBySelector (default), getByText, getByLabel, getByRole, getByPlaceholder, getByTestId, getByAltText, getByTitle.</summary>
    public string? GetTargetBy { get; init; }

    /// <summary>Value for fill/type/select/press; for goto, the URL.</summary>
    public string? Value { get; init; }

    /// <summary>URL for goto.</summary>
    public string? Url { get; init; }

    /// <summary>Screenshot: capture the full scrollable page.</summary>
    public bool? FullPage { get; init; }

    /// <summary>screenshot: png or jpeg. pdf: paper format such as A4 or Letter.</summary>
    public string? Format { get; init; }

    /// <summary>Screenshot: JPEG quality 0-100.</summary>
    public int? Quality { get; init; }

    /// <summary>wait: milliseconds to wait.</summary>
    public int? Milliseconds { get; init; }

    /// <summary>extract: which property to read (textContent, innerText, innerHTML, value, or an attribute name).</summary>
    public string? Attribute { get; init; }

    /// <summary>extract: name under which the value is returned.</summary>
    public string? Name { get; init; }

    /// <summary>extract: return every match as an array.</summary>
    public bool? Multiple { get; init; }

    /// <summary>Per-step timeout in milliseconds.</summary>
    public int? TimeoutMs { get; init; }

    /// <summary>waitUntil for goto: load, domcontentloaded, networkidle, commit.</summary>
    public string? WaitUntil { get; init; }

    /// <summary>getByRole: the accessible name to match (for actions other than extract, <see cref="Name"/> is accepted too).</summary>
    public string? RoleName { get; init; }

    /// <summary>getByText/getByLabel/getByRole...: match the whole string, case-sensitively.</summary>
    public bool? Exact { get; init; }

    /// <summary>A CSS selector of an iframe; the target is looked up inside that frame.</summary>
    public string? Frame { get; init; }

    /// <summary>Pick the n-th match (0-based) when a target matches several elements.</summary>
    public int? Nth { get; init; }

    /// <summary>waitForSelector: visible, attached, hidden, detached. waitForLoadState: load, domcontentloaded, networkidle.</summary>
    public string? State { get; init; }

    /// <summary>select: several option values (<see cref="Value"/> selects one).</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>type: delay between key presses in milliseconds.</summary>
    public int? Delay { get; init; }

    /// <summary>scroll by pixels: horizontal offset.</summary>
    public int? X { get; init; }

    /// <summary>scroll by pixels: vertical offset.</summary>
    public int? Y { get; init; }

    /// <summary>screenshot: capture only this rectangle of the page.</summary>
    public Clip? Clip { get; init; }

    /// <summary>screenshot: transparent background instead of white (png only).</summary>
    public bool? OmitBackground { get; init; }

    /// <summary>pdf: landscape orientation.</summary>
    public bool? Landscape { get; init; }

    /// <summary>pdf: print background graphics.</summary>
    public bool? PrintBackground { get; init; }

    /// <summary>pdf: page margins (CSS lengths such as "1cm").</summary>
    public PdfMargin? Margin { get; init; }

    /// <summary>pdf: rendering scale, 0.1 to 2.</summary>
    public double? Scale { get; init; }

    /// <summary>pdf: pages to print, e.g. "1-3, 5".</summary>
    public string? PageRanges { get; init; }

    /// <summary>evaluate: a JavaScript expression (only when enabled in configuration; trusted clients only).</summary>
    public string? Expression { get; init; }

    /// <summary>fill/type: treat the value as a secret (a fill into a password field always is): never logged or listed.</summary>
    public bool? Sensitive { get; init; }

    /// <summary>extract: what to read: attribute (default: text or an attribute), state, property, count, list or table.</summary>
    public string? Read { get; init; }

    /// <summary>extract (read property): a DOM property such as value, checked or dataset.id, read through JavaScript.</summary>
    public string? Property { get; init; }

    /// <summary>extract (read list): for each match, the named values read by selectors relative to it.</summary>
    public IReadOnlyDictionary<string, ExtractField>? Fields { get; init; }

    /// <summary>extract (multiple, list, table): at most this many items (1-1000, default 1000).</summary>
    public int? MaxItems { get; init; }

    /// <summary>assert: what must hold: text, visible, hidden, count, url or title.</summary>
    public string? Expect { get; init; }

    /// <summary>assert (text, url, title): the whole value.</summary>
    [JsonPropertyName("equals")]
    public string? EqualTo { get; init; }

    /// <summary>assert (text, url, title): a part of the value.</summary>
    public string? Contains { get; init; }

    /// <summary>assert (text, url, title): a regular expression (.NET syntax) the value matches.</summary>
    public string? Matches { get; init; }

    /// <summary>assert (text, url, title): compare case-insensitively.</summary>
    public bool? IgnoreCase { get; init; }

    /// <summary>assert (count): exactly this many matches.</summary>
    public int? Count { get; init; }

    /// <summary>assert (count): at least this many matches.</summary>
    public int? Min { get; init; }

    /// <summary>assert (count): at most this many matches.</summary>
    public int? Max { get; init; }
}

/// <summary>A rectangle in CSS pixels.</summary>
public sealed record Clip(double X, double Y, double Width, double Height);

/// <summary>PDF page margins as CSS lengths.</summary>
public sealed record PdfMargin(string? Top = null, string? Right = null, string? Bottom = null, string? Left = null);
