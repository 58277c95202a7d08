using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Actions;

/// <summary>POST /api/v1/actions/screenshot: a screenshot of the page, of a rectangle, or of one element.</summary>
public sealed record ScreenshotActionRequest : ActionRequest
{
    /// <summary>The full scrollable page.</summary>
    public bool? FullPage { get; init; }

    /// <summary>Only this element (CSS or XPath).</summary>
    public string? Selector { get; init; }

    /// <summary>png (default) or jpeg.</summary>
    public string? Format { get; init; }

    /// <summary>JPEG quality 0-100.</summary>
    public int? Quality { get; init; }

    /// <summary>Transparent background instead of white (png only).</summary>
    public bool? OmitBackground { get; init; }

    /// <summary>Only this rectangle of the page.</summary>
    public Clip? Clip { get; init; }

    protected override string ActionType => "screenshot";

    protected override JobPayload Payload() => new()
    {
        FullPage = FullPage, Selector = Selector, Format = Format, Quality = Quality, OmitBackground = OmitBackground, Clip = Clip,
    };
}
