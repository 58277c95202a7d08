namespace BrowserAutomation.Contracts.Actions;

/// <summary>The JSON type of an action field.</summary>
public enum FieldType
{
    /// <summary>A string.</summary>
    Text,

    /// <summary>A whole number.</summary>
    WholeNumber,

    /// <summary>A number.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>An array of strings.</summary>
    TextList,

    /// <summary>An object (clip, margin).</summary>
    Composite,
}
