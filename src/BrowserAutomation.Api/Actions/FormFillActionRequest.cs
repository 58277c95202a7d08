using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Actions;

/// <summary>POST /api/v1/actions/form-fill: fill a form and optionally submit it.</summary>
public sealed record FormFillActionRequest : ActionRequest
{
    /// <summary>The steps, in order: { type: fill | type | click | select | check | uncheck | press | hover, selector, value, sensitive }.</summary>
    public IReadOnlyList<FormFillStep>? Actions { get; init; }

    /// <summary>After the last step, wait for the page it led to.</summary>
    public bool? WaitForNavigation { get; init; }

    protected override string ActionType => "form-fill";

    protected override JobPayload Payload() => new() { Actions = Actions, WaitForNavigation = WaitForNavigation };
}
