using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BrowserAutomation.Automation.Actions;

/// <summary>Paper formats and CSS lengths for the pdf action, and the Firefox unit workaround.</summary>
internal static partial class PdfPaper
{
    /// <summary>Playwright's paper formats, in millimetres (width × height, portrait).</summary>
    private static readonly FrozenDictionary<string, (double Width, double Height)> Formats = new Dictionary<string, (double, double)>(StringComparer.OrdinalIgnoreCase)
    {
        ["Letter"] = (215.9, 279.4),
        ["Legal"] = (215.9, 355.6),
        ["Tabloid"] = (279.4, 431.8),
        ["Ledger"] = (431.8, 279.4),
        ["A0"] = (841, 1189),
        ["A1"] = (594, 841),
        ["A2"] = (420, 594),
        ["A3"] = (297, 420),
        ["A4"] = (210, 297),
        ["A5"] = (148, 210),
        ["A6"] = (105, 148),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Playwright's default paper.</summary>
    public const string DefaultFormat = "Letter";

    public static IEnumerable<string> FormatNames => Formats.Keys;

    /// <summary>The canonical spelling ("a4" → "A4").</summary>
    public static string Canonical(string format) => Formats.Keys.First(k => k.Equals(format, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Playwright's BiDi (Firefox) backend sends page sizes and margins in inches where WebDriver BiDi expects
    /// centimetres. Writing the centimetre value with an "in" unit cancels that out: A4 becomes "21in" × "29.7in".
    /// </summary>
    public static (string Width, string Height) FirefoxPageSize(string? format)
    {
        (var width, var height) = Formats[format ?? DefaultFormat];
        return (FirefoxLength(width / 10), FirefoxLength(height / 10));
    }

    /// <summary>A CSS margin rewritten for Firefox: its size in centimetres, written with "in" (see <see cref="FirefoxPageSize"/>).</summary>
    public static string? FirefoxMargin(string? margin) => margin is null ? null : FirefoxLength(Centimetres(margin));

    private static string FirefoxLength(double centimetres) => $"{Math.Round(centimetres, 4).ToString(CultureInfo.InvariantCulture)}in";

    private static double Centimetres(string length)
    {
        var match = LengthPattern().Match(length.Trim());
        var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "in" => value * 2.54,
            "cm" => value,
            "mm" => value / 10,
            _ => value / 96 * 2.54,
        };
    }

    [GeneratedRegex(@"^(?<value>\d+(\.\d+)?)\s*(?<unit>px|in|cm|mm)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LengthPattern();
}
