using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Actions;

/// <summary>POST /api/v1/actions/visit: open a page (its result has finalUrl, httpStatus and title).</summary>
public sealed record VisitActionRequest : ActionRequest
{
    /// <summary>The navigation timeout in milliseconds (the job's timeoutMs when that is not set).</summary>
    public int? Timeout { get; init; }

    protected override string ActionType => "visit";

    protected override JobPayload Payload() => new() { Timeout = Timeout };
}
