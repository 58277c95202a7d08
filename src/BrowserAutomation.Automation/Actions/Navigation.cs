using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using BrowserAutomation.Networking;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>Rules shared by the first navigation and the goto action.</summary>
internal static class Navigation
{
    public static WaitUntilState ParseWaitUntil(string? waitUntil) => waitUntil?.ToLowerInvariant() switch
    {
        null or "" or "load" => WaitUntilState.Load,
        "domcontentloaded" => WaitUntilState.DOMContentLoaded,
        "networkidle" => WaitUntilState.NetworkIdle,
        "commit" => WaitUntilState.Commit,
        _ => throw JobStepException.Validation($"Unknown waitUntil '{waitUntil}'; expected load, domcontentloaded, networkidle or commit."),
    };

    /// <summary>Only absolute http(s) URLs: a browser would happily render file:// and friends.</summary>
    public static void ValidateUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw JobStepException.Validation("The URL must be absolute.");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new JobStepException(JobErrorTypes.UrlBlocked, $"Only http and https URLs are allowed, not '{uri.Scheme}'.");
        }
    }

    /// <summary>
    /// The URL policy's DNS-free check (scheme, credentials, host lists, literal addresses in any spelling) as
    /// url_blocked; text that is not a URL at all stays a validation error.
    /// </summary>
    public static void ValidateUrl(string? url, UrlPolicy policy)
    {
        var decision = policy.CheckUrl(url);
        if (decision.Allowed)
        {
            ValidateUrl(url);
            return;
        }

        if (url is null || (UrlNormalizer.Scheme(UrlNormalizer.Clean(url)) is null && !Uri.TryCreate(url, UriKind.Absolute, out _)))
        {
            ValidateUrl(url);
        }

        throw new JobStepException(JobErrorTypes.UrlBlocked, JobErrors.Shorten($"The URL policy blocked {url}: {decision.Reason}"));
    }
}
