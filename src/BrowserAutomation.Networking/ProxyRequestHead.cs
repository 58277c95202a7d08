using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace BrowserAutomation.Networking;

/// <summary>
/// The head of one request a browser sends the <see cref="EgressProxy"/>: its request line and header lines, where
/// it wants to go (a CONNECT authority or an absolute http URL), and the head rewritten for the origin server.
/// </summary>
internal sealed class ProxyRequestHead
{
    /// <summary>The largest head read; a longer one is dropped.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);
    private static readonly byte[] End = "\r\n\r\n"u8.ToArray();

    private readonly string[] _lines;

    private ProxyRequestHead(string[] lines, string method, string target, string version)
    {
        _lines = lines;
        Method = method;
        Target = target;
        Version = version;
    }

    public string Method { get; }

    /// <summary>The request target as sent: an authority for CONNECT, an absolute URL otherwise.</summary>
    public string Target { get; }

    public string Version { get; }

    /// <summary>A tunnel (https, wss) rather than a plain http request.</summary>
    public bool IsTunnel => Method == "CONNECT";

    /// <summary>
    /// Reads up to the blank line that ends the head (at most <see cref="MaxBytes"/>, within 30 seconds) into
    /// <paramref name="buffer"/>; returns the head's length (-1 if the stream ended first or the head is too long)
    /// and the bytes read, which may go past the head.
    /// </summary>
    public static async Task<(int HeadLength, int Read)> ReadAsync(NetworkStream stream, byte[] buffer, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(ReadTimeout);
        var read = 0;
        while (read < MaxBytes)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read, MaxBytes - read), timeout.Token).ConfigureAwait(false);
            if (n == 0)
            {
                return (-1, read);
            }

            var searchFrom = Math.Max(0, read - 3);
            read += n;
            var end = buffer.AsSpan(searchFrom, read - searchFrom).IndexOf(End);
            if (end >= 0)
            {
                return (searchFrom + end + 4, read);
            }
        }

        return (-1, read);
    }

    /// <summary>The head (ending with its blank line), or null if its request line is not HTTP/1.x.</summary>
    public static ProxyRequestHead? Parse(string head)
    {
        var lines = head[..^4].Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }

        return new ProxyRequestHead(lines, requestLine[0], requestLine[1], requestLine[2]);
    }

    /// <summary>
    /// Where the request goes: the CONNECT target (port 443 unless it says otherwise), or the authority, path and
    /// query of an absolute http or ws URL (port 80). False for any other target.
    /// </summary>
    public bool TryGetDestination(out string authority, out string pathAndQuery, out int defaultPort)
    {
        pathAndQuery = "/";
        if (IsTunnel)
        {
            authority = Target;
            defaultPort = 443;
            return true;
        }

        authority = string.Empty;
        defaultPort = 80;
        var schemeEnd = Target.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? Target[..schemeEnd].ToLowerInvariant() : string.Empty;
        if (scheme is not ("http" or "ws"))
        {
            return false;
        }

        var authorityEnd = Target.AsSpan(schemeEnd + 3).IndexOfAny('/', '?', '#');
        authority = authorityEnd < 0 ? Target[(schemeEnd + 3)..] : Target.Substring(schemeEnd + 3, authorityEnd);
        pathAndQuery = authorityEnd < 0 ? "/" : Target[(schemeEnd + 3 + authorityEnd)..];
        if (pathAndQuery.StartsWith('?'))
        {
            pathAndQuery = "/" + pathAndQuery;
        }

        var fragment = pathAndQuery.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            pathAndQuery = pathAndQuery[..fragment];
        }

        return true;
    }

    /// <summary>Origin-form request line, no proxy headers, and one request per connection (unless it upgrades).</summary>
    public string ToOriginForm(string pathAndQuery, string authority)
    {
        var upgrade = _lines.Skip(1).Any(static l => HeaderName(l).Equals("Upgrade", StringComparison.OrdinalIgnoreCase));
        var builder = new StringBuilder();
        builder.Append(Method).Append(' ').Append(pathAndQuery).Append(' ').Append(Version).Append("\r\n");
        var hasHost = false;
        foreach (var line in _lines.Skip(1))
        {
            var name = HeaderName(line);
            if (name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
                || (!upgrade && name.Equals("Connection", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            hasHost |= name.Equals("Host", StringComparison.OrdinalIgnoreCase);
            builder.Append(line).Append("\r\n");
        }

        if (!hasHost)
        {
            builder.Append("Host: ").Append(authority).Append("\r\n");
        }

        if (!upgrade)
        {
            builder.Append("Connection: close\r\n");
        }

        return builder.Append("\r\n").ToString();
    }

    /// <summary>Host (IPv6 literals keep their brackets) and port of an authority; false for user info, a bad port or no host.</summary>
    public static bool TrySplitAuthority(string authority, int defaultPort, out string host, out int port)
    {
        host = string.Empty;
        port = defaultPort;
        if (authority.Contains('@', StringComparison.Ordinal) || authority.Length == 0)
        {
            return false;
        }

        var portText = string.Empty;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = authority[..(close + 1)];
            var rest = authority[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? string.Empty : authority[(colon + 1)..];
        }

        if (portText.Length > 0 && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65_535))
        {
            return false;
        }

        return host.Length > 0;
    }

    private static string HeaderName(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? line[..colon].Trim() : string.Empty;
    }
}
