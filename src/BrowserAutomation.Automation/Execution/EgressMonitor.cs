using BrowserAutomation.Contracts;
using BrowserAutomation.Networking;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Execution;

/// <summary>
/// One attempt's view of the egress proxy: which of its context's requests the proxy refused, and whether one of
/// them was a navigation of the job's page (which fails the job as url_blocked). A refused plain-HTTP request comes
/// back as the proxy's 403 carrying <see cref="EgressProxy.BlockedHeader"/>; a refused tunnel (https, wss) fails in
/// the browser, and the proxy remembers why.
/// </summary>
internal sealed class EgressMonitor(EgressProxy egress, JobRequested job, ILogger logger)
{
    private const int MaxListed = 100;
    private static readonly string BlockedHeader = EgressProxy.BlockedHeader.ToLowerInvariant();

    private readonly Lock _gate = new();
    private readonly List<BlockedRequest> _blocked = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private IPage? _page;
    private BlockedRequest? _mainFrameBlocked;

    public UrlPolicy Policy => egress.Policy;

    public IReadOnlyList<BlockedRequest> BlockedRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _blocked];
            }
        }
    }

    public void Attach(IBrowserContext context, IPage page)
    {
        _page = page;
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
        if (egress.TryGetRecentRefusal(url, out var refusal))
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
