namespace BrowserAutomation.Contracts.Actions;

/// <summary>What an action field must hold to count as given.</summary>
public enum Presence
{
    /// <summary>The field may be left out.</summary>
    Optional,

    /// <summary>Any value, even an empty string.</summary>
    NotNull,

    /// <summary>A non-empty string (spaces count).</summary>
    NotEmpty,

    /// <summary>A string with something other than white space.</summary>
    NotBlank,
}
