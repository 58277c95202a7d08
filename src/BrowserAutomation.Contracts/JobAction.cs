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

    /// <summary>Screenshot: png or jpeg.</summary>
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
}
