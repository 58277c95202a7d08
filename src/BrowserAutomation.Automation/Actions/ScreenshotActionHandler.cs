using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// screenshot: the viewport, the full page (FullPage), a rectangle of it (Clip) or one element (Target), as PNG or
/// JPEG (Quality); OmitBackground makes the default white background transparent (PNG only).
/// </summary>
internal sealed class ScreenshotActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var type = ParseFormat(action.Format);
        // Playwright rejects a quality for PNG.
        var quality = type == ScreenshotType.Jpeg ? action.Quality : null;

        byte[] image;
        if (action.Target is not null)
        {
            var element = await context.LocateAsync(action, single: true, cancellationToken);
            image = await context.ActAsync(
                action,
                timeout => element.ScreenshotAsync(new LocatorScreenshotOptions
                {
                    Type = type, Quality = quality, OmitBackground = action.OmitBackground, Timeout = timeout,
                }),
                cancellationToken);
        }
        else
        {
            image = await context.ActAsync(
                action,
                timeout => context.Page.ScreenshotAsync(new PageScreenshotOptions
                {
                    Type = type,
                    Quality = quality,
                    FullPage = action.FullPage ?? false,
                    Clip = action.Clip is { } clip ? new Microsoft.Playwright.Clip { X = (float)clip.X, Y = (float)clip.Y, Width = (float)clip.Width, Height = (float)clip.Height } : null,
                    OmitBackground = action.OmitBackground,
                    Timeout = timeout,
                }),
                cancellationToken);
        }

        (var extension, var mimeType) = type == ScreenshotType.Jpeg ? ("jpg", "image/jpeg") : ("png", "image/png");
        return ActionResult.WithArtifact(
            new ProducedArtifact("screenshot", context.NextFileName("screenshot", index, extension), mimeType, image, index));
    }

    private static ScreenshotType ParseFormat(string? format) => format?.ToLowerInvariant() switch
    {
        null or "" or "png" => ScreenshotType.Png,
        "jpeg" or "jpg" => ScreenshotType.Jpeg,
        _ => throw JobStepException.Validation($"Unknown screenshot format '{JobErrors.Shorten(format)}'; expected png or jpeg."),
    };
}
