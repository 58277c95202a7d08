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

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private readonly IHostResolver _resolver;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly RecentRefusals _recentRefusals;
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
        _recentRefusals = new RecentRefusals(_time);
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
            _accepting = AcceptLoopAsync(listener, null, _stopping.Token);
        }
    }

    /// <summary>
    /// A listener of its own for one browser context (see <see cref="EgressContext"/>): the same policy, with the
    /// refusals of its connections recorded for that context.
    /// </summary>
    public EgressContext OpenContext()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            return new EgressContext(AcceptLoopAsync, _stopping.Token);
        }
    }

    /// <summary>The last refusal (within two minutes) of this host and port, for telling a job why a request failed.</summary>
    public bool TryGetRecentRefusal(string host, int port, out EgressRefusal? refusal) => _recentRefusals.TryGet(host, port, out refusal);

    /// <summary>Same as <see cref="TryGetRecentRefusal(string,int,out EgressRefusal?)"/> for the host and port of a URL (http, https, ws, wss).</summary>
    public bool TryGetRecentRefusal(string url, out EgressRefusal? refusal)
    {
        refusal = null;
        return TrySplitUrl(url, out var host, out var port) && TryGetRecentRefusal(host, port, out refusal);
    }

    /// <summary>The host and port a URL (http, https, ws, wss) connects to.</summary>
    internal static bool TrySplitUrl(string url, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        port = uri.Port > 0 ? uri.Port : uri.Scheme is "https" or "wss" ? 443 : 80;
        host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        return true;
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

    private async Task AcceptLoopAsync(TcpListener listener, EgressContext? owner, CancellationToken stopping)
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

            // Connections outlive their listener's close only as long as the browser keeps them; the proxy's stop ends them.
            var connection = HandleAsync(client, owner, _stopping.Token);
            _connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(TcpClient client, EgressContext? owner, CancellationToken stopping)
    {
        await Task.Yield();
        using (client)
        {
            client.NoDelay = true;
            var browser = client.GetStream();
            var buffer = ArrayPool<byte>.Shared.Rent(ProxyRequestHead.MaxBytes);
            try
            {
                var (headLength, read) = await ProxyRequestHead.ReadAsync(browser, buffer, stopping).ConfigureAwait(false);
                if (headLength < 0)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                var head = Encoding.Latin1.GetString(buffer, 0, headLength);
                var leftover = buffer.AsMemory(headLength, read - headLength);
                await ForwardAsync(browser, head, leftover, owner, stopping).ConfigureAwait(false);
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

    private async Task ForwardAsync(NetworkStream browser, string head, ReadOnlyMemory<byte> leftover, EgressContext? owner, CancellationToken stopping)
    {
        if (ProxyRequestHead.Parse(head) is not { } request)
        {
            await ProxyResponse.WriteAsync(browser, 400, "Bad Request", null, stopping).ConfigureAwait(false);
            return;
        }

        var target = request.Target;
        var tunnel = request.IsTunnel;
        if (!request.TryGetDestination(out var authority, out var pathAndQuery, out var defaultPort))
        {
            Fail($"refused a request that is not absolute http: {Shorten(target)}");
            await ProxyResponse.WriteAsync(browser, 400, "Bad Request", null, stopping).ConfigureAwait(false);
            return;
        }

        if (!ProxyRequestHead.TrySplitAuthority(authority, defaultPort, out var host, out var port))
        {
            await RefuseAsync(browser, target, authority, 0, "The request's host and port are malformed.", owner, stopping).ConfigureAwait(false);
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
            await ProxyResponse.UnreachableAsync(browser, tunnel, stopping).ConfigureAwait(false);
            return;
        }

        if (!resolved.Decision.Allowed)
        {
            await RefuseAsync(browser, tunnel ? authority : target, host, port, resolved.Decision.Reason!, owner, stopping).ConfigureAwait(false);
            return;
        }

        if (resolved.Unresolved)
        {
            Fail($"{Shorten(host)} has no address");
            await ProxyResponse.UnreachableAsync(browser, tunnel, stopping).ConfigureAwait(false);
            return;
        }

        using var upstream = await ConnectAsync(resolved.Addresses, port, stopping).ConfigureAwait(false);
        if (upstream is null)
        {
            Fail($"could not connect to {Shorten(host)}:{port}");
            await ProxyResponse.UnreachableAsync(browser, tunnel, stopping).ConfigureAwait(false);
            return;
        }

        await using var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
        if (tunnel)
        {
            await browser.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), stopping).ConfigureAwait(false);
        }
        else
        {
            var rewritten = Encoding.Latin1.GetBytes(request.ToOriginForm(pathAndQuery, authority));
            await upstreamStream.WriteAsync(rewritten, stopping).ConfigureAwait(false);
        }

        if (!leftover.IsEmpty)
        {
            await upstreamStream.WriteAsync(leftover, stopping).ConfigureAwait(false);
        }

        await PumpAsync(browser, upstreamStream, upstream, stopping).ConfigureAwait(false);
    }

    private static async Task PumpAsync(NetworkStream browser, NetworkStream upstream, Socket upstreamSocket, CancellationToken stopping)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var down = CopyAsync(upstream, browser, done.Token);
        var up = CopyAsync(browser, upstream, done.Token);
        var first = await Task.WhenAny(down, up).ConfigureAwait(false);
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
        foreach (var address in addresses)
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

    private async Task RefuseAsync(NetworkStream browser, string target, string host, int port, string reason, EgressContext? owner, CancellationToken stopping)
    {
        Interlocked.Increment(ref _refused);
        var refusal = new EgressRefusal(Shorten(target), host, port, reason, _time.GetUtcNow());
        _recentRefusals.Remember(refusal);
        // Recorded before the browser hears of it, so the job sees the refusal no later than the failed request.
        owner?.Record(refusal);

        try
        {
            Refused?.Invoke(this, refusal);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A listener's failure must not keep the browser waiting.
        }

        await ProxyResponse.WriteAsync(browser, 403, "Forbidden", reason, stopping).ConfigureAwait(false);
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

    private static string Shorten(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");
}
