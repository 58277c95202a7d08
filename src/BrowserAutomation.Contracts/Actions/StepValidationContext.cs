namespace BrowserAutomation.Contracts.Actions;

/// <summary>
/// What a job's steps are checked against: its time budget, the deployment's evaluate switch and URL policy, the
/// result names claimed so far. One per job; problems of every step collect in <see cref="Problems"/>.
/// </summary>
/// <param name="jobTimeoutMs">The job's timeoutMs; step timeouts and waits stay within it.</param>
/// <param name="evaluateEnabled">Whether the deployment allows the evaluate action (EVALUATE_ENABLED).</param>
/// <param name="refuseUrl">
/// The URL policy's DNS-free check: the reason an absolute http(s) URL is refused, or null when allowed. A delegate so
/// that Contracts stays free of the Networking project.
/// </param>
public sealed class StepValidationContext(int jobTimeoutMs, bool evaluateEnabled, Func<string, string?> refuseUrl)
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>The problems found so far.</summary>
    public ValidationProblems Problems { get; init; } = new();

    /// <summary>The job's timeoutMs.</summary>
    public int JobTimeoutMs { get; } = jobTimeoutMs;

    /// <summary>Whether the evaluate action is allowed.</summary>
    public bool EvaluateEnabled { get; } = evaluateEnabled;

    /// <summary>Claims a result name; a second step returning the same name is a problem at <paramref name="path"/>.</summary>
    /// <param name="name">The result name.</param>
    /// <param name="path">The JSON path of the field that names it.</param>
    public void ClaimName(string name, string path)
    {
        if (!_names.Add(name))
        {
            Problems.Add(path, $"Another step already returns a value named '{ActionValues.Shorten(name)}'; names must be unique.");
        }
    }

    /// <summary>
    /// An absolute http(s) URL that the URL policy accepts without DNS (scheme, credentials, host lists, literal addresses
    /// in any spelling). Names that resolve to a denied address are refused later by the worker's egress proxy.
    /// </summary>
    /// <param name="url">The URL to check.</param>
    /// <param name="path">The JSON path of the URL.</param>
    public void CheckUrl(string? url, string path)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            Problems.Add(path, "A URL is required.");
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            Problems.Add(path, "Must be an absolute http or https URL.");
        }
        else if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            // A URL in another scheme (file:, javascript:) is a refusal by policy, not a typo.
            Problems.Add(path, "Must be an absolute http or https URL.", JobErrorTypes.UrlBlocked);
        }
        else if (refuseUrl(url) is { } reason)
        {
            Problems.Add(path, $"url_blocked: {reason} (URL policy; see URL_ALLOWED_NETWORKS, URL_ALLOWED_HOSTS).", JobErrorTypes.UrlBlocked);
        }
    }
}
