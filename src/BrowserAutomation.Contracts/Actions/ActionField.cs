namespace BrowserAutomation.Contracts.Actions;

/// <summary>
/// One field an action uses, as spelled in JSON. The step validation checks presence, allowed values (and writes the
/// canonical spelling back) and ranges from here; rules between fields live in the action's <see cref="ActionRule"/>.
/// </summary>
/// <param name="Name">The JSON name (camelCase), e.g. waitUntil.</param>
/// <param name="Type">The JSON type.</param>
/// <param name="Doc">What the field means for this action, for the OpenAPI table.</param>
public sealed record ActionField(string Name, FieldType Type, string? Doc = null)
{
    /// <summary>Whether the field must be given, and the message when it is not.</summary>
    public Presence Presence { get; init; } = Presence.Optional;

    /// <summary>The message when the field is missing (required when <see cref="Presence"/> is not Optional).</summary>
    public string? MissingMessage { get; init; }

    /// <summary>The allowed values in canonical spelling; null when any value goes.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>How the field is named in the "must be one of" message (defaults to <see cref="Name"/>).</summary>
    public string? Label { get; init; }

    /// <summary>The smallest allowed number; null for none.</summary>
    public double? Min { get; init; }

    /// <summary>The largest allowed number; null for none.</summary>
    public double? Max { get; init; }

    /// <summary>The unit in the range message, e.g. " ms".</summary>
    public string Unit { get; init; } = "";
}
