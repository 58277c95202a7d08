using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// pdf: prints the page (print media) to a PDF: Format (Letter by default, A4, Legal...), Landscape, PrintBackground,
/// Margin (CSS lengths), Scale (0.1-2), PageRanges ("1-3, 5"). Artifact document.pdf, then document-{index}.pdf.
/// </summary>
internal sealed class PdfActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var options = new PagePdfOptions
        {
            Landscape = action.Landscape,
            PrintBackground = action.PrintBackground,
            Scale = action.Scale is { } scale ? (float)scale : null,
            PageRanges = action.PageRanges,
        };

        if (context.Engine == BrowserEngines.Firefox)
        {
            (options.Width, options.Height) = PdfPaper.FirefoxPageSize(action.Format is { } format ? PdfPaper.Canonical(format) : null);
            options.Margin = action.Margin is { } margin
                ? new Margin
                {
                    Top = PdfPaper.FirefoxMargin(margin.Top),
                    Right = PdfPaper.FirefoxMargin(margin.Right),
                    Bottom = PdfPaper.FirefoxMargin(margin.Bottom),
                    Left = PdfPaper.FirefoxMargin(margin.Left),
                }
                : null;
        }
        else
        {
            options.Format = action.Format is { } format ? PdfPaper.Canonical(format) : null;
            options.Margin = action.Margin is { } margin
                ? new Margin { Top = margin.Top, Right = margin.Right, Bottom = margin.Bottom, Left = margin.Left }
                : null;
        }

        // Page.PdfAsync has no timeout of its own: the step's budget bounds it.
        var timeout = context.StepTimeout(action);
        byte[] pdf;
        try
        {
            pdf = await context.Page.PdfAsync(options).WaitAsync(TimeSpan.FromMilliseconds(timeout), cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new JobStepException(JobErrorTypes.Timeout, $"Printing the PDF did not finish within {timeout:0} ms.", ex);
        }
        catch (PlaywrightException ex) when (ex.Message.Contains("Page range", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("pageRanges", StringComparison.OrdinalIgnoreCase))
        {
            throw JobStepException.Validation($"pageRanges '{JobErrors.Shorten(action.PageRanges ?? string.Empty)}' does not fit the document: {JobErrors.Shorten(ex.Message)}");
        }

        return ActionResult.WithArtifact(
            new ProducedArtifact("pdf", context.NextFileName("document", index, "pdf"), "application/pdf", pdf, index));
    }
}
