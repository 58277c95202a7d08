using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Actions;

/// <summary>POST /api/v1/actions/extract: read named values from a page.</summary>
public sealed record ExtractActionRequest : ActionRequest
{
    /// <summary>{ name, selector, attribute (textContent by default, innerText, innerHTML, value, or any attribute such as href), multiple }.</summary>
    public IReadOnlyList<PayloadExtractor>? Extractors { get; init; }

    protected override string ActionType => "extract";

    protected override JobPayload Payload() => new() { Extractors = Extractors };
}
