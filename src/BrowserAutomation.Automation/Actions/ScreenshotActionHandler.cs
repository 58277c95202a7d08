using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>screenshot: the viewport, the full page (FullPage) or one element (Target), as PNG or JPEG.</summary>
internal sealed class ScreenshotActionHandler : IActionHandler
{
    public string Name => "screenshot";

    public void Validate(JobAction action)
    {
        ParseFormat(action.Format);
        if (action.Quality is < 0 or > 100)
        {
            throw JobStepException.Validation("Screenshot quality must be between 0 and 100.");
        }

        if (action.Target is not null)
        {
            TargetLocator.Validate(action);
        }
    }

    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        ScreenshotType type = ParseFormat(action.Format);
        // Playwright rejects a quality for PNG.
        int? quality = type == ScreenshotType.Jpeg ? action.Quality : null;

        byte[] image;
        if (action.Target is not null)
        {
            ILocator element = await context.LocateAsync(action, cancellationToken);
            image = await element.ScreenshotAsync(new LocatorScreenshotOptions { Type = type, Quality = quality, Timeout = context.StepTimeout(action) })
                .WaitAsync(cancellationToken);
        }
        else
        {
            image = await context.Page.ScreenshotAsync(new PageScreenshotOptions
            {
                Type = type,
                Quality = quality,
                FullPage = action.FullPage ?? false,
                Timeout = context.StepTimeout(action),
            }).WaitAsync(cancellationToken);
        }

        (string extension, string mimeType) = type == ScreenshotType.Jpeg ? ("jpg", "image/jpeg") : ("png", "image/png");
        return ActionResult.WithArtifact(
            new ProducedArtifact("screenshot", context.NextScreenshotFileName(index, extension), mimeType, image, index));
    }

    private static ScreenshotType ParseFormat(string? format) => format?.ToLowerInvariant() switch
    {
        null or "" or "png" => ScreenshotType.Png,
        "jpeg" or "jpg" => ScreenshotType.Jpeg,
        _ => throw JobStepException.Validation($"Unknown screenshot format '{format}'; expected png or jpeg."),
    };
}
