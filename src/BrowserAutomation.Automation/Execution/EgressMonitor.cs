using BrowserAutomation.Contracts;
using BrowserAutomation.Networking;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Execution;

/// <summary>
/// One attempt's view of the egress proxy: which of its context's requests the proxy refused, and whether one of
/// them was a navigation of the job's page (which fails the job as url_blocked). A refused plain-HTTP request comes
/// back as the proxy's 403 carrying <see cref="EgressProxy.BlockedHeader"/>; a refused tunnel (https, wss) fails in
/// the browser, and the proxy remembers why. A context with a listener of its own (<see cref="EgressContext"/>) is
/// told by the proxy itself, so no response is watched: only failed requests, WebSockets and the page's own commits.
/// Without one, every response of the context is checked for the proxy's header.
/// </summary>
internal sealed class EgressMonitor(EgressProxy egress, JobRequested job, ILogger logger)
{
    private const int MaxListed = 100;
    private static readonly string BlockedHeader = EgressProxy.BlockedHeader.ToLowerInvariant();

    private readonly Lock _gate = new();
    private readonly List<BlockedRequest> _blocked = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _coveredTunnels = new(StringComparer.Ordinal);
    private IPage? _page;
    private EgressContext? _own;
    private BlockedRequest? _mainFrameBlocked;

    public UrlPolicy Policy => egress.Policy;

    public IReadOnlyList<BlockedRequest> BlockedRequests
    {
        get
        {
            if (_own is { } own)
            {
                // Tunnels refused for this context that no failed request or WebSocket named (a service worker's, say).
                foreach (var refusal in own.Refusals.Where(static r => !IsPlainHttp(r)))
                {
                    if (!IsCovered(refusal))
                    {
                        Record($"https://{refusal.Target}", refusal.Reason, mainFrame: false);
                        lock (_gate)
                        {
                            _coveredTunnels.Add(TunnelKey(refusal.Host, refusal.Port));
                        }
                    }
                }
            }

            lock (_gate)
            {
                return [.. _blocked];
            }
        }
    }

    public void Attach(IBrowserContext context, IPage page, EgressContext? own)
    {
        _page = page;
        if (own is not null)
        {
            AttachOwn(context, page, own);
            return;
        }

        context.Response += (_, response) =>
        {
            if (BlockedReason(response) is { } reason)
            {
                Record(response.Request, reason);
            }
        };
        context.RequestFailed += (_, request) =>
        {
            if (egress.TryGetRecentRefusal(request.Url, out var refusal))
            {
                Record(request, refusal!.Reason);
            }
        };
        page.WebSocket += (_, socket) =>
        {
            void Check()
            {
                if (egress.TryGetRecentRefusal(socket.Url, out var refusal))
                {
                    Record(socket.Url, refusal!.Reason, mainFrame: false);
                }
            }

            socket.SocketError += (_, _) => Check();
            socket.Close += (_, _) => Check();
        };
    }

    private void AttachOwn(IBrowserContext context, IPage page, EgressContext own)
    {
        _own = own;
        // Recorded by the proxy before the browser got its 403: the page's commit of the refusal comes later.
        own.Refused += (_, refusal) =>
        {
            if (IsPlainHttp(refusal))
            {
                Record(refusal.Target, refusal.Reason, mainFrame: false);
            }
        };
        page.FrameNavigated += (_, frame) =>
        {
            if (ReferenceEquals(frame, page.MainFrame) && PlainHttpRefusalOf(own, frame.Url) is { } refusal)
            {
                Interlocked.CompareExchange(ref _mainFrameBlocked, new BlockedRequest(JobErrors.Shorten(refusal.Target), refusal.Reason), null);
            }
        };
        context.RequestFailed += (_, request) =>
        {
            if (own.TryGetRefusal(request.Url, out var refusal))
            {
                Cover(refusal!);
                Record(request, refusal!.Reason);
            }
        };
        page.WebSocket += (_, socket) =>
        {
            void Check()
            {
                if (own.TryGetRefusal(socket.Url, out var refusal))
                {
                    Cover(refusal!);
                    Record(socket.Url, refusal!.Reason, mainFrame: false);
                }
            }

            socket.SocketError += (_, _) => Check();
            socket.Close += (_, _) => Check();
        };
    }

    /// <summary>Refuses a URL the policy rejects without DNS (scheme, credentials, host lists, literal addresses).</summary>
    public void CheckUrl(string url)
    {
        var decision = Policy.CheckUrl(url);
        if (!decision.Allowed)
        {
            throw Blocked(url, decision.Reason!);
        }
    }

    /// <summary>Fails the attempt when the page's own navigation (the job URL, a goto, a redirect, a refresh) was refused.</summary>
    public void ThrowIfNavigationBlocked()
    {
        if (Volatile.Read(ref _mainFrameBlocked) is { } blocked)
        {
            throw Blocked(blocked.Url, blocked.Reason);
        }
    }

    /// <summary>After a failed navigation: was it the proxy refusing the URL (a tunnel refusal only shows as a network error)?</summary>
    public void ThrowIfRefused(string url)
    {
        ThrowIfNavigationBlocked();
        EgressRefusal? refusal;
        if (_own is { } own ? own.TryGetRefusal(url, out refusal) : egress.TryGetRecentRefusal(url, out refusal))
        {
            throw Blocked(url, refusal!.Reason);
        }
    }

    /// <summary>The navigation's final response may be the proxy's refusal.</summary>
    public void ThrowIfBlocked(IResponse? response)
    {
        if (response is not null && BlockedReason(response) is { } reason)
        {
            throw Blocked(response.Url, reason);
        }

        ThrowIfNavigationBlocked();
    }

    /// <summary>A plain-HTTP request's refusal names its absolute URL; a tunnel's names host:port.</summary>
    private static bool IsPlainHttp(EgressRefusal refusal) => refusal.Target.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    private static EgressRefusal? PlainHttpRefusalOf(EgressContext own, string url)
    {
        var withoutFragment = url.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? url[..hash] : url;
        return own.Refusals.LastOrDefault(r => IsPlainHttp(r) && string.Equals(r.Target, withoutFragment, StringComparison.OrdinalIgnoreCase));
    }

    private static string TunnelKey(string host, int port) => $"{UrlNormalizer.NormalizeHost(host) ?? host}:{port}";

    private void Cover(EgressRefusal refusal)
    {
        if (!IsPlainHttp(refusal))
        {
            lock (_gate)
            {
                _coveredTunnels.Add(TunnelKey(refusal.Host, refusal.Port));
            }
        }
    }

    private bool IsCovered(EgressRefusal refusal)
    {
        lock (_gate)
        {
            return _coveredTunnels.Contains(TunnelKey(refusal.Host, refusal.Port));
        }
    }

    private static string? BlockedReason(IResponse response) =>
        response.Headers.TryGetValue(BlockedHeader, out var reason) ? reason : null;

    private JobStepException Blocked(string url, string reason)
    {
        logger.LogWarning("Job {JobId} attempt {Attempt}: navigation to {Url} blocked by the URL policy: {Reason}", job.JobId, job.Attempt, JobErrors.Shorten(url), reason);
        return new JobStepException(JobErrorTypes.UrlBlocked, JobErrors.Shorten($"The URL policy blocked {url}: {reason}"));
    }

    private void Record(IRequest request, string reason)
    {
        bool mainFrame;
        try
        {
            mainFrame = request.IsNavigationRequest && _page is { } page && ReferenceEquals(request.Frame, page.MainFrame);
        }
        catch (PlaywrightException)
        {
            // Service-worker requests have no frame.
            mainFrame = false;
        }

        Record(request.Url, reason, mainFrame);
    }

    private void Record(string url, string reason, bool mainFrame)
    {
        var blocked = new BlockedRequest(JobErrors.Shorten(url), reason);
        if (mainFrame)
        {
            Interlocked.CompareExchange(ref _mainFrameBlocked, blocked, null);
        }

        lock (_gate)
        {
            if (!_seen.Add(url) || _blocked.Count >= MaxListed)
            {
                return;
            }

            _blocked.Add(blocked);
        }

        logger.LogWarning(
            "Job {JobId} attempt {Attempt}: {Kind} {Url} blocked by the URL policy: {Reason}",
            job.JobId, job.Attempt, mainFrame ? "navigation to" : "request to", blocked.Url, reason);
    }
}
