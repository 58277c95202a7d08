using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace BrowserAutomation.Networking;

/// <summary>The answers the egress proxy gives a browser itself: errors, policy refusals, and an unreachable upstream.</summary>
internal static class ProxyResponse
{
    /// <summary>A short text/plain response that closes the connection; a refusal carries <see cref="EgressProxy.BlockedHeader"/>.</summary>
    public static async Task WriteAsync(NetworkStream browser, int status, string phrase, string? blockedReason, CancellationToken stopping)
    {
        var body = blockedReason is null ? phrase : $"Blocked by the URL policy: {blockedReason}";
        var builder = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {phrase}\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Cache-Control: no-store\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n")
            .Append("Connection: close\r\n");
        if (blockedReason is not null)
        {
            builder.Append(EgressProxy.BlockedHeader).Append(": ").Append(HeaderSafe(blockedReason)).Append("\r\n");
        }

        byte[] bytes = [.. Encoding.Latin1.GetBytes(builder.Append("\r\n").ToString()), .. Encoding.UTF8.GetBytes(body)];
        await browser.WriteAsync(bytes, stopping).ConfigureAwait(false);
        await browser.FlushAsync(stopping).ConfigureAwait(false);
    }

    /// <summary>
    /// A tunnel gets a 502; a plain request gets its connection reset, so the browser reports a network error (as it
    /// would without a proxy) instead of rendering an error page as if the site had answered.
    /// </summary>
    public static async Task UnreachableAsync(NetworkStream browser, bool tunnel, CancellationToken stopping)
    {
        if (tunnel)
        {
            await WriteAsync(browser, 502, "Bad Gateway", null, stopping).ConfigureAwait(false);
            return;
        }

        browser.Socket.LingerState = new LingerOption(true, 0);
        browser.Socket.Close();
    }

    private static string HeaderSafe(string text) => new(text.Select(static c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
