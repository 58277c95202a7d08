namespace BrowserAutomation.Contracts;

/// <summary>
/// One named value of an extract step with read list: read from the element that <see cref="Selector"/> finds inside
/// each match (the match itself without a selector); null when nothing matches there.
/// </summary>
public sealed record ExtractField
{
    /// <summary>A CSS selector, or an XPath starting with ./ or xpath=, relative to the match; absent for the match itself.</summary>
    public string? Selector { get; init; }

    /// <summary>textContent (default), innerText, innerHTML, value, or an attribute name such as href.</summary>
    public string? Attribute { get; init; }

    /// <summary>A DOM property such as checked or dataset.id, instead of <see cref="Attribute"/>.</summary>
    public string? Property { get; init; }
}
