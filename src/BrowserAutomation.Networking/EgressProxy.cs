using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BrowserAutomation.Networking;

/// <summary>
/// The browsers' only way out: an HTTP proxy on 127.0.0.1 (plain HTTP forwarding, CONNECT tunnels for https and
/// wss) that resolves each host once, refuses it if any address is denied by the <see cref="UrlPolicy"/>, and
/// connects to exactly the address it checked, so a rebinding DNS answer is never used. Plain HTTP requests are
/// sent upstream with "Connection: close", one per browser connection, so every request is checked.
/// </summary>
public sealed class EgressProxy : IAsyncDisposable
{
    /// <summary>Header on the proxy's refusal response; its value is the reason.</summary>
    public const string BlockedHeader = "X-Url-Policy-Blocked";

    private const int MaxHeadBytes = 64 * 1024;
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RefusalMemory = TimeSpan.FromMinutes(2);
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private readonly IHostResolver _resolver;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, EgressRefusal> _recentRefusals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private Task? _accepting;
    private long _requests;
    private long _refused;

    public EgressProxy(UrlPolicy policy, IHostResolver? resolver = null, TimeProvider? time = null)
    {
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _resolver = resolver ?? new DnsHostResolver();
        _time = time ?? TimeProvider.System;
    }

    public UrlPolicy Policy { get; }

    /// <summary>Raised for every refusal (on a thread-pool thread); handlers must not throw.</summary>
    public event EventHandler<EgressRefusal>? Refused;

    /// <summary>Raised when forwarding fails for a reason other than the policy (unreachable upstream, bad request).</summary>
    public event EventHandler<string>? Failed;

    /// <summary>The listening address; only valid after <see cref="Start"/>.</summary>
    public IPEndPoint Endpoint => (IPEndPoint)(_listener ?? throw new InvalidOperationException("The egress proxy is not started.")).LocalEndpoint;

    /// <summary>The proxy as the browsers' launch option expects it: http://127.0.0.1:port.</summary>
    public string ProxyServer => $"http://{Endpoint.Address}:{Endpoint.Port.ToString(CultureInfo.InvariantCulture)}";

    public long Requests => Interlocked.Read(ref _requests);

    public long RefusedCount => Interlocked.Read(ref _refused);

    /// <summary>Binds 127.0.0.1 on an ephemeral port and starts accepting; later calls do nothing.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            if (_listener is not null)
            {
                return;
            }

            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(512);
            _listener = listener;
            _accepting = AcceptLoopAsync(listener, _stopping.Token);
        }
    }

    /// <summary>The last refusal (within two minutes) of this host and port, for telling a job why a request failed.</summary>
    public bool TryGetRecentRefusal(string host, int port, out EgressRefusal? refusal)
    {
        refusal = null;
        if (UrlNormalizer.NormalizeHost(host) is not { } normalized
            || !_recentRefusals.TryGetValue(Key(normalized, port), out EgressRefusal? found)
            || _time.GetUtcNow() - found.At > RefusalMemory)
        {
            return false;
        }

        refusal = found;
        return true;
    }

    /// <summary>Same as <see cref="TryGetRecentRefusal(string,int,out EgressRefusal?)"/> for the host and port of a URL (http, https, ws, wss).</summary>
    public bool TryGetRecentRefusal(string url, out EgressRefusal? refusal)
    {
        refusal = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        int port = uri.Port > 0 ? uri.Port : uri.Scheme is "https" or "wss" ? 443 : 80;
        return TryGetRecentRefusal(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost, port, out refusal);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            _listener?.Stop();
        }

        if (_accepting is { } accepting)
        {
            await accepting.ConfigureAwait(false);
        }

        await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
        _listener?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            Task connection = HandleAsync(client, stopping);
            _connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(TcpClient client, CancellationToken stopping)
    {
        await Task.Yield();
        using (client)
        {
            client.NoDelay = true;
            NetworkStream browser = client.GetStream();
            byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxHeadBytes);
            try
            {
                (int headLength, int read) = await ReadHeadAsync(browser, buffer, stopping).ConfigureAwait(false);
                if (headLength < 0)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                string head = Encoding.Latin1.GetString(buffer, 0, headLength);
                ReadOnlyMemory<byte> leftover = buffer.AsMemory(headLength, read - headLength);
                await ForwardAsync(browser, head, leftover, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The browser or the upstream went away; nothing to tell anyone.
            }
            catch (Exception ex)
            {
                Fail($"forwarding failed: {ex.GetType().Name}: {ex.Message}");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task ForwardAsync(NetworkStream browser, string head, ReadOnlyMemory<byte> leftover, CancellationToken stopping)
    {
        string[] lines = head[..^4].Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            await RespondAsync(browser, 400, "Bad Request", null, stopping).ConfigureAwait(false);
            return;
        }

        string method = requestLine[0];
        string target = requestLine[1];
        bool tunnel = method == "CONNECT";
        string authority;
        string pathAndQuery = "/";
        int defaultPort;
        if (tunnel)
        {
            authority = target;
            defaultPort = 443;
        }
        else
        {
            int schemeEnd = target.IndexOf("://", StringComparison.Ordinal);
            string scheme = schemeEnd > 0 ? target[..schemeEnd].ToLowerInvariant() : string.Empty;
            if (scheme is not ("http" or "ws"))
            {
                Fail($"refused a request that is not absolute http: {Shorten(target)}");
                await RespondAsync(browser, 400, "Bad Request", null, stopping).ConfigureAwait(false);
                return;
            }

            int authorityEnd = target.AsSpan(schemeEnd + 3).IndexOfAny('/', '?', '#');
            authority = authorityEnd < 0 ? target[(schemeEnd + 3)..] : target.Substring(schemeEnd + 3, authorityEnd);
            pathAndQuery = authorityEnd < 0 ? "/" : target[(schemeEnd + 3 + authorityEnd)..];
            if (pathAndQuery.StartsWith('?'))
            {
                pathAndQuery = "/" + pathAndQuery;
            }

            int fragment = pathAndQuery.IndexOf('#', StringComparison.Ordinal);
            if (fragment >= 0)
            {
                pathAndQuery = pathAndQuery[..fragment];
            }

            defaultPort = 80;
        }

        if (!TrySplitAuthority(authority, defaultPort, out string host, out int port))
        {
            await RefuseAsync(browser, target, authority, 0, "The request's host and port are malformed.", stopping).ConfigureAwait(false);
            return;
        }

        ResolvedHost resolved;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(ConnectTimeout);
            resolved = await Policy.ResolveAsync(host, _resolver, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            Fail($"could not resolve {Shorten(host)}: {ex.Message}");
            await UnreachableAsync(browser, tunnel, stopping).ConfigureAwait(false);
            return;
        }

        if (!resolved.Decision.Allowed)
        {
            await RefuseAsync(browser, tunnel ? authority : target, host, port, resolved.Decision.Reason!, stopping).ConfigureAwait(false);
            return;
        }

        if (resolved.Unresolved)
        {
            Fail($"{Shorten(host)} has no address");
            await UnreachableAsync(browser, tunnel, stopping).ConfigureAwait(false);
            return;
        }

        using Socket? upstream = await ConnectAsync(resolved.Addresses, port, stopping).ConfigureAwait(false);
        if (upstream is null)
        {
            Fail($"could not connect to {Shorten(host)}:{port}");
            await UnreachableAsync(browser, tunnel, stopping).ConfigureAwait(false);
            return;
        }

        await using var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
        if (tunnel)
        {
            await browser.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), stopping).ConfigureAwait(false);
        }
        else
        {
            byte[] rewritten = Encoding.Latin1.GetBytes(RewriteHead(lines, method, pathAndQuery, requestLine[2], authority));
            await upstreamStream.WriteAsync(rewritten, stopping).ConfigureAwait(false);
        }

        if (!leftover.IsEmpty)
        {
            await upstreamStream.WriteAsync(leftover, stopping).ConfigureAwait(false);
        }

        await PumpAsync(browser, upstreamStream, upstream, stopping).ConfigureAwait(false);
    }

    /// <summary>Origin-form request line, no proxy headers, and one request per connection (unless it upgrades).</summary>
    private static string RewriteHead(string[] lines, string method, string pathAndQuery, string version, string authority)
    {
        bool upgrade = lines.Skip(1).Any(static l => HeaderName(l).Equals("Upgrade", StringComparison.OrdinalIgnoreCase));
        var builder = new StringBuilder();
        builder.Append(method).Append(' ').Append(pathAndQuery).Append(' ').Append(version).Append("\r\n");
        bool hasHost = false;
        foreach (string line in lines.Skip(1))
        {
            string name = HeaderName(line);
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

    private static string HeaderName(string line)
    {
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? line[..colon].Trim() : string.Empty;
    }

    private static async Task PumpAsync(NetworkStream browser, NetworkStream upstream, Socket upstreamSocket, CancellationToken stopping)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Task down = CopyAsync(upstream, browser, done.Token);
        Task up = CopyAsync(browser, upstream, done.Token);
        Task first = await Task.WhenAny(down, up).ConfigureAwait(false);
        if (first == up)
        {
            // The browser finished sending: let the upstream finish its answer.
            try
            {
                upstreamSocket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }

            // ...but not forever: a peer that never closes must not hold the connection.
            await Task.WhenAny(down, Task.Delay(DrainTimeout, done.Token)).ConfigureAwait(false);
        }

        await done.CancelAsync().ConfigureAwait(false);
        upstream.Close();
        await Task.WhenAll(down, up).ConfigureAwait(false);
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, 16 * 1024, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task<Socket?> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken stopping)
    {
        // Only the addresses that were checked: never a name, so nothing is looked up again.
        foreach (IPAddress address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(ConnectTimeout);
                await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).ConfigureAwait(false);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !stopping.IsCancellationRequested)
            {
                socket.Dispose();
            }
        }

        return null;
    }

    private async Task RefuseAsync(NetworkStream browser, string target, string host, int port, string reason, CancellationToken stopping)
    {
        Interlocked.Increment(ref _refused);
        var refusal = new EgressRefusal(Shorten(target), host, port, reason, _time.GetUtcNow());
        if (UrlNormalizer.NormalizeHost(host) is { } normalized)
        {
            if (_recentRefusals.Count > 4_096)
            {
                _recentRefusals.Clear();
            }

            _recentRefusals[Key(normalized, port)] = refusal;
        }

        try
        {
            Refused?.Invoke(this, refusal);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A listener's failure must not keep the browser waiting.
        }

        await RespondAsync(browser, 403, "Forbidden", reason, stopping).ConfigureAwait(false);
    }

    private static async Task RespondAsync(NetworkStream browser, int status, string phrase, string? blockedReason, CancellationToken stopping)
    {
        string body = blockedReason is null ? phrase : $"Blocked by the URL policy: {blockedReason}";
        var builder = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {phrase}\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Cache-Control: no-store\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n")
            .Append("Connection: close\r\n");
        if (blockedReason is not null)
        {
            builder.Append(BlockedHeader).Append(": ").Append(HeaderSafe(blockedReason)).Append("\r\n");
        }

        byte[] bytes = [.. Encoding.Latin1.GetBytes(builder.Append("\r\n").ToString()), .. Encoding.UTF8.GetBytes(body)];
        await browser.WriteAsync(bytes, stopping).ConfigureAwait(false);
        await browser.FlushAsync(stopping).ConfigureAwait(false);
    }

    /// <summary>
    /// A tunnel gets a 502; a plain request gets its connection reset, so the browser reports a network error (as it
    /// would without a proxy) instead of rendering an error page as if the site had answered.
    /// </summary>
    private static async Task UnreachableAsync(NetworkStream browser, bool tunnel, CancellationToken stopping)
    {
        if (tunnel)
        {
            await RespondAsync(browser, 502, "Bad Gateway", null, stopping).ConfigureAwait(false);
            return;
        }

        browser.Socket.LingerState = new LingerOption(true, 0);
        browser.Socket.Close();
    }

    private static async Task<(int HeadLength, int Read)> ReadHeadAsync(NetworkStream stream, byte[] buffer, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(HeadTimeout);
        int read = 0;
        while (read < MaxHeadBytes)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read, MaxHeadBytes - read), timeout.Token).ConfigureAwait(false);
            if (n == 0)
            {
                return (-1, read);
            }

            int searchFrom = Math.Max(0, read - 3);
            read += n;
            int end = buffer.AsSpan(searchFrom, read - searchFrom).IndexOf(HeadEnd);
            if (end >= 0)
            {
                return (searchFrom + end + 4, read);
            }
        }

        return (-1, read);
    }

    private static bool TrySplitAuthority(string authority, int defaultPort, out string host, out int port)
    {
        host = string.Empty;
        port = defaultPort;
        if (authority.Contains('@', StringComparison.Ordinal) || authority.Length == 0)
        {
            return false;
        }

        string portText = string.Empty;
        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = authority[..(close + 1)];
            string rest = authority[(close + 1)..];
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
            int colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? string.Empty : authority[(colon + 1)..];
        }

        if (portText.Length > 0 && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65_535))
        {
            return false;
        }

        return host.Length > 0;
    }

    private void Fail(string message)
    {
        try
        {
            Failed?.Invoke(this, message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
        }
    }

    private static string Key(string normalizedHost, int port) => $"{normalizedHost}:{port.ToString(CultureInfo.InvariantCulture)}";

    private static string HeaderSafe(string text) => new(text.Select(static c => c is >= ' ' and <= '~' ? c : '?').ToArray());

    private static string Shorten(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");
}
