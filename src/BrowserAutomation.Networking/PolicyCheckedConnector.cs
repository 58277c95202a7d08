using System.Net;
using System.Net.Sockets;

namespace BrowserAutomation.Networking;

/// <summary>
/// Connects an <see cref="HttpClient"/> (its <see cref="SocketsHttpHandler.ConnectCallback"/>) only to addresses the
/// URL policy allows: the host is resolved once at connect time, every answer is checked, and the socket is opened to
/// one of the checked addresses, so a name that rebinds to a denied address between two look-ups gets nowhere.
/// A refusal throws <see cref="UrlPolicyRefusedException"/> before any socket exists.
/// </summary>
public sealed class PolicyCheckedConnector(UrlPolicy policy, IHostResolver resolver)
{
    /// <summary>A handler that uses this connector, follows no redirects and ignores any system proxy.</summary>
    public SocketsHttpHandler CreateHandler(TimeSpan connectTimeout) => new()
    {
        ConnectCallback = ConnectAsync,
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectTimeout = connectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        UseCookies = false,
    };

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var resolved = await policy.ResolveAsync(host, resolver, cancellationToken);
        if (!resolved.Decision.Allowed)
        {
            throw new UrlPolicyRefusedException($"url_blocked: {resolved.Decision.Reason}");
        }

        if (resolved.Unresolved)
        {
            throw new HttpRequestException($"The host {host} has no address.");
        }

        Exception? last = null;
        foreach (var address in resolved.Addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new HttpRequestException($"Could not connect to {host}:{context.DnsEndPoint.Port}: {last?.Message}", last);
    }
}
