using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BrowserAutomation.Networking;

/// <summary>
/// One browser context's own entrance to the <see cref="EgressProxy"/>: a listener on 127.0.0.1 with a port of its
/// own, so every connection arriving on it belongs to that context (and to the one job it serves). The proxy records
/// the refusals of those connections here, which is how a job learns what was blocked for it without watching every
/// response. The policy is the proxy's, the same on every listener. Disposing it stops the listener.
/// </summary>
public sealed class EgressContext : IAsyncDisposable
{
    private const int MaxRecorded = 1_000;

    private readonly Lock _gate = new();
    private readonly List<EgressRefusal> _refusals = [];
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _accepting;
    private int _disposed;

    internal EgressContext(Func<TcpListener, EgressContext, CancellationToken, Task> accept, CancellationToken proxyStopping)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(64);
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(proxyStopping);
        Endpoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = accept(_listener, this, _stopping.Token);
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>The context's proxy setting: http://127.0.0.1:port.</summary>
    public string ProxyServer => $"http://{Endpoint.Address}:{Endpoint.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Refusals of this context's connections, oldest first (at most 1,000 are kept).</summary>
    public IReadOnlyList<EgressRefusal> Refusals
    {
        get
        {
            lock (_gate)
            {
                return [.. _refusals];
            }
        }
    }

    /// <summary>Raised for every refusal of this context's connections (on a thread-pool thread); handlers must not throw.</summary>
    public event EventHandler<EgressRefusal>? Refused;

    /// <summary>This context's last refusal of the host and port of a URL (http, https, ws, wss).</summary>
    public bool TryGetRefusal(string url, out EgressRefusal? refusal)
    {
        refusal = null;
        if (!EgressProxy.TrySplitUrl(url, out var host, out var port) || UrlNormalizer.NormalizeHost(host) is not { } normalized)
        {
            return false;
        }

        lock (_gate)
        {
            for (var i = _refusals.Count - 1; i >= 0; i--)
            {
                if (_refusals[i].Port == port && UrlNormalizer.NormalizeHost(_refusals[i].Host) == normalized)
                {
                    refusal = _refusals[i];
                    return true;
                }
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _listener.Dispose();
        _stopping.Dispose();
    }

    internal void Record(EgressRefusal refusal)
    {
        lock (_gate)
        {
            if (_refusals.Count < MaxRecorded)
            {
                _refusals.Add(refusal);
            }
        }

        try
        {
            Refused?.Invoke(this, refusal);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A listener's failure must not keep the browser waiting.
        }
    }
}
