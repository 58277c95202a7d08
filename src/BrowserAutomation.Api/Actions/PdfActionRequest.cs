using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Actions;

/// <summary>POST /api/v1/actions/pdf: print a page to PDF (Chromium and Firefox).</summary>
public sealed record PdfActionRequest : ActionRequest
{
    /// <summary>Paper format: Letter (default), Legal, Tabloid, Ledger, A0-A6.</summary>
    public string? Format { get; init; }

    /// <summary>Print background graphics.</summary>
    public bool? PrintBackground { get; init; }

    /// <summary>Page margins as CSS lengths ("1cm", "10mm", "0.5in", "40px").</summary>
    public PdfMargin? Margin { get; init; }

    /// <summary>Landscape orientation.</summary>
    public bool? Landscape { get; init; }

    /// <summary>Rendering scale, 0.1 to 2.</summary>
    public double? Scale { get; init; }

    /// <summary>Pages to print, e.g. "1-3, 5".</summary>
    public string? PageRanges { get; init; }

    protected override string ActionType => "pdf";

    protected override JobPayload Payload() => new()
    {
        Format = Format, PrintBackground = PrintBackground, Margin = Margin, Landscape = Landscape, Scale = Scale, PageRanges = PageRanges,
    };
}
