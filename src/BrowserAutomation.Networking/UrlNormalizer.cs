using System.Globalization;
using System.Net;
using System.Text;

namespace BrowserAutomation.Networking;

/// <summary>
/// Reads a URL and its host the way a browser does, with the platform's parsers: every IPv4 spelling a browser accepts
/// (decimal, octal, hex, short, trailing dot) becomes the dotted address, names become lower-case ASCII (IDN).
/// </summary>
public static class UrlNormalizer
{
    private static readonly System.Buffers.SearchValues<char> SchemeChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");
    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = false, AllowUnassigned = false };

    /// <summary>
    /// The canonical host: an IP address's text (IPv6 without brackets or zone) or a lower-case ASCII name without
    /// a trailing dot; null when the host is malformed (which a browser would refuse or read differently).
    /// </summary>
    public static string? NormalizeHost(string? host) => ParseHost(host) is ({ } name, var address) ? address?.ToString() ?? name : null;

    /// <summary>The canonical host and, when the host is an IP literal in any spelling, its address.</summary>
    public static (string? Host, IPAddress? Address) ParseHost(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return (null, null);
        }

        var value = host.Trim();
        if (value.StartsWith('[') || value.Contains(':', StringComparison.Ordinal))
        {
            var inner = value.StartsWith('[') && value.EndsWith(']') ? value[1..^1] : value;
            var zone = inner.IndexOf('%', StringComparison.Ordinal);
            if (zone >= 0)
            {
                inner = inner[..zone];
            }

            return IPAddress.TryParse(inner, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? Canonical(v6)
                : (null, null);
        }

        try
        {
            // Browsers percent-decode the host, then apply IDNA (which folds full-width digits and dots).
            value = Uri.UnescapeDataString(value).Normalize(NormalizationForm.FormKC);
            value = value.Replace('\u3002', '.').Replace('\uff0e', '.').Replace('\uff61', '.');
            value = Idn.GetAscii(value).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return (null, null);
        }

        if (value.EndsWith('.'))
        {
            value = value[..^1];
        }

        if (value.Length == 0 || value.Any(static c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')))
        {
            return (null, null);
        }

        var last = value[(value.LastIndexOf('.') + 1)..];
        if (IsNumber(last))
        {
            // It ends in a number, so a browser reads it as IPv4 (or refuses it): never as a name.
            return IPAddress.TryParse(value, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                && value.Split('.').Length <= 4
                ? Canonical(v4)
                : (null, null);
        }

        return (value, null);
    }

    /// <summary>Removes what browsers ignore (tabs and newlines anywhere, controls and spaces around) and reads backslashes before the query as slashes.</summary>
    public static string Clean(string url)
    {
        var builder = new StringBuilder(url.Length);
        foreach (var c in url.Trim('\0', '\u0001', '\u0002', '\u0003', '\u0004', '\u0005', '\u0006', '\u0007', '\b', '\t', '\n', '\v', '\f', '\r',
            '\u000e', '\u000f', '\u0010', '\u0011', '\u0012', '\u0013', '\u0014', '\u0015', '\u0016', '\u0017', '\u0018', '\u0019', '\u001a',
            '\u001b', '\u001c', '\u001d', '\u001e', '\u001f', ' '))
        {
            if (c is not ('\t' or '\n' or '\r'))
            {
                builder.Append(c);
            }
        }

        var cleaned = builder.ToString();
        var end = cleaned.AsSpan().IndexOfAny('?', '#');
        return end < 0 ? cleaned.Replace('\\', '/') : string.Concat(cleaned[..end].Replace('\\', '/'), cleaned.AsSpan(end));
    }

    /// <summary>The scheme, lower-cased, or null when the text has none.</summary>
    public static string? Scheme(string cleanedUrl)
    {
        var colon = cleanedUrl.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(cleanedUrl[0])
            || cleanedUrl.AsSpan(0, colon).ContainsAnyExcept(SchemeChars))
        {
            return null;
        }

        return cleanedUrl[..colon].ToLowerInvariant();
    }

    private static (string?, IPAddress?) Canonical(IPAddress address)
    {
        var plain = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;
        return (plain.ToString(), plain);
    }

    private static bool IsNumber(string label)
    {
        if (label.Length == 0)
        {
            return false;
        }

        if (label.StartsWith("0x", StringComparison.Ordinal))
        {
            return !label.AsSpan(2).ContainsAnyExcept(HexDigits);
        }

        return !label.AsSpan().ContainsAnyExcept(Digits);
    }
}
