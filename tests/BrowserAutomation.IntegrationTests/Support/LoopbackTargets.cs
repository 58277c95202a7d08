using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>
/// Listeners on one port of 127.0.0.1 (allowed: serves the test's pages), and of 127.0.0.2, 127.0.0.3 and ::1
/// (denied: they only count connections), plus a UDP socket on 127.0.0.2 counting datagrams (WebRTC's way around a
/// proxy). Nothing here ever listens or connects outside loopback. Every accepted
/// connection is counted, so a test can assert that a denied address saw none, whatever the code under test did.
/// </summary>
public sealed class LoopbackTargets : IAsyncDisposable
{
    public static readonly IPAddress Allowed = IPAddress.Loopback;
    public static readonly IPAddress DeniedAlias = IPAddress.Parse("127.0.0.2");
    public static readonly IPAddress OtherAlias = IPAddress.Parse("127.0.0.3");
    public static readonly IPAddress[] Denied = [DeniedAlias, OtherAlias, IPAddress.IPv6Loopback];

    private readonly List<TcpListener> _listeners = [];
    private UdpClient? _udp;
    private int _datagrams;
    private readonly ConcurrentDictionary<IPAddress, int> _connections = new();
    private readonly ConcurrentDictionary<string, (int Status, string? Location, string Body)> _routes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

    public int Port { get; private set; }

    /// <summary>http://127.0.0.1:port</summary>
    public string AllowedBase => $"http://127.0.0.1:{Port}";

    /// <summary>http://127.0.0.2:port</summary>
    public string DeniedBase => $"http://127.0.0.2:{Port}";

    /// <summary>TCP connections to the denied addresses, plus UDP datagrams to 127.0.0.2.</summary>
    public int DeniedConnections => Denied.Sum(a => _connections.GetValueOrDefault(a)) + Volatile.Read(ref _datagrams);

    public int AllowedConnections => _connections.GetValueOrDefault(Allowed);

    public static async Task<LoopbackTargets> StartAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var targets = new LoopbackTargets();
            try
            {
                targets.Bind();
                return targets;
            }
            catch (SocketException) when (attempt < 20)
            {
                await targets.DisposeAsync();
            }
        }
    }

    /// <summary>Serves html at path (no query) on 127.0.0.1.</summary>
    public void Page(string path, string html) => _routes[path] = (200, null, html);

    /// <summary>Answers path on 127.0.0.1 with a redirect.</summary>
    public void Redirect(string path, int status, string location) => _routes[path] = (status, location, string.Empty);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
            listener.Dispose();
        }

        _udp?.Dispose();

        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private void Bind()
    {
        var first = Listen(DeniedAlias, 0);
        Port = ((IPEndPoint)first.LocalEndpoint).Port;
        Listen(OtherAlias, Port);
        Listen(IPAddress.IPv6Loopback, Port);
        Listen(Allowed, Port);
        _udp = new UdpClient(new IPEndPoint(DeniedAlias, Port));
        _loops.Add(ReceiveAsync(_udp));
    }

    private async Task ReceiveAsync(UdpClient udp)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await udp.ReceiveAsync(_stopping.Token);
                Interlocked.Increment(ref _datagrams);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested || ex is ObjectDisposedException)
                {
                    return;
                }
            }
        }
    }

    private TcpListener Listen(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        listener.Start();
        _listeners.Add(listener);
        _loops.Add(AcceptAsync(listener, address));
        return listener;
    }

    private async Task AcceptAsync(TcpListener listener, IPAddress address)
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _connections.AddOrUpdate(address, 1, static (_, n) => n + 1);
            _ = ServeAsync(client, address.Equals(Allowed));
        }
    }

    private async Task ServeAsync(TcpClient client, bool allowed)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[8192];
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, timeout.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.Latin1.GetString(buffer, 0, read));
                }

                var target = head.ToString().Split(' ', 3)[1];
                var path = target.Split('?', 2)[0];
                (var status, var location, var body) = !allowed
                    ? (200, null, "<html><head><title>DENIED TARGET REACHED</title></head><body>denied target</body></html>")
                    : _routes.TryGetValue(path, out var route) ? route
                    : (404, null, "<html><head><title>Not found</title></head><body>not found</body></html>");
                var content = Encoding.UTF8.GetBytes(body);
                var locationHeader = location is null ? string.Empty : $"Location: {location}\r\n";
                var response = string.Create(CultureInfo.InvariantCulture,
                    $"HTTP/1.1 {status} X\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {content.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n{locationHeader}\r\n");
                await stream.WriteAsync(Encoding.Latin1.GetBytes(response), timeout.Token);
                await stream.WriteAsync(content, timeout.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}
