using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>Just enough PDF reading to check a printed document: header, page count, page size (object streams inflated).</summary>
internal static partial class PdfInspector
{
    public static (int Pages, double Width, double Height) Inspect(ReadOnlyMemory<byte> pdf)
    {
        var bytes = pdf.ToArray();
        Assert.True(bytes.AsSpan().StartsWith("%PDF-"u8), "no %PDF- header");
        Assert.True(bytes.AsSpan()[^32..].IndexOf("%%EOF"u8) >= 0, "no %%EOF trailer");
        var text = Encoding.Latin1.GetString(bytes) + string.Concat(InflatedStreams(bytes));
        var pages = PagePattern().Count(text);
        var box = MediaBoxPattern().Match(text);
        Assert.True(box.Success, "no MediaBox");
        var width = double.Parse(box.Groups["x1"].Value, System.Globalization.CultureInfo.InvariantCulture)
            - double.Parse(box.Groups["x0"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var height = double.Parse(box.Groups["y1"].Value, System.Globalization.CultureInfo.InvariantCulture)
            - double.Parse(box.Groups["y0"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (pages, width, height);
    }

    // Firefox compresses its page objects into object streams; Chromium writes them in the clear.
    private static IEnumerable<string> InflatedStreams(byte[] bytes)
    {
        var at = 0;
        while ((at = IndexOf(bytes, "stream"u8, at)) >= 0)
        {
            var data = at + "stream".Length;
            data += bytes[data] == '\r' ? 2 : 1;
            var end = IndexOf(bytes, "endstream"u8, data);
            if (end < 0)
            {
                yield break;
            }

            string? inflated = null;
            try
            {
                using var input = new MemoryStream(bytes, data, end - data);
                using var zlib = new ZLibStream(input, CompressionMode.Decompress);
                using var output = new MemoryStream();
                zlib.CopyTo(output);
                inflated = Encoding.Latin1.GetString(output.ToArray());
            }
            catch (InvalidDataException)
            {
                // Not zlib (an image, a font program): nothing to read.
            }

            if (inflated is not null)
            {
                yield return inflated;
            }

            at = end + "endstream"u8.Length;
        }
    }

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> value, int from)
    {
        var found = bytes.AsSpan(from).IndexOf(value);
        // "endstream" contains "stream": skip it when looking for a stream start.
        while (found >= 0 && value.SequenceEqual("stream"u8) && from + found >= 3 && bytes.AsSpan(from + found - 3, 3).SequenceEqual("end"u8))
        {
            from += found + value.Length;
            found = bytes.AsSpan(from).IndexOf(value);
        }

        return found < 0 ? -1 : from + found;
    }

    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PagePattern();

    [GeneratedRegex(@"/MediaBox\s*\[\s*(?<x0>[\d.]+)\s+(?<y0>[\d.]+)\s+(?<x1>[\d.]+)\s+(?<y1>[\d.]+)\s*\]")]
    private static partial Regex MediaBoxPattern();
}
