using System.Net;
using System.Net.Sockets;

namespace BrowserAutomation.Networking;

/// <summary>
/// The URL policy: only http and https, no credentials in URLs, host allow/deny lists, and no address in a denied
/// range (built-in ranges minus <see cref="UrlPolicyOptions.AllowedNetworks"/>, plus <see cref="UrlPolicyOptions.DeniedNetworks"/>).
/// <see cref="CheckUrl"/> is the synchronous, DNS-free check for submission time; <see cref="ResolveAsync"/> is the
/// egress proxy's check of every address a name resolves to.
/// </summary>
public sealed class UrlPolicy
{
    private readonly HostPattern[] _allowedHosts;
    private readonly HostPattern[] _deniedHosts;
    private readonly IPNetwork[] _allowedNetworks;
    private readonly IPNetwork[] _deniedNetworks;

    /// <exception cref="ArgumentException">An entry of the options is malformed.</exception>
    public UrlPolicy(UrlPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options))
            .Select(static r => r.ErrorMessage ?? string.Empty).ToArray();
        if (errors.Length > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _allowedHosts = UrlPolicyOptions.Split(options.AllowedHosts).Select(Pattern).ToArray();
        _deniedHosts = UrlPolicyOptions.Split(options.DeniedHosts).Select(Pattern).ToArray();
        _allowedNetworks = UrlPolicyOptions.Split(options.AllowedNetworks).Select(Network).ToArray();
        _deniedNetworks = UrlPolicyOptions.Split(options.DeniedNetworks).Select(Network).ToArray();
    }

    /// <summary>The default policy: nothing in the built-in denied ranges, any other host.</summary>
    public static UrlPolicy Default { get; } = new(new UrlPolicyOptions());

    /// <summary>
    /// Checks a URL without DNS: the scheme (http/https only; about:blank passes), credentials, the host lists and a
    /// literal address in any spelling. A name that later resolves to a denied address is caught by the egress proxy.
    /// </summary>
    public UrlPolicyDecision CheckUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return UrlPolicyDecision.Deny("The URL is empty.");
        }

        var cleaned = UrlNormalizer.Clean(url);
        var scheme = UrlNormalizer.Scheme(cleaned);
        if (scheme is not ("http" or "https"))
        {
            if (string.Equals(cleaned, "about:blank", StringComparison.OrdinalIgnoreCase))
            {
                return UrlPolicyDecision.Allow;
            }

            return UrlPolicyDecision.Deny(scheme is null
                ? "The URL must be absolute, with an http or https scheme."
                : $"The scheme '{Printable(scheme)}' is not allowed; only http and https are.");
        }

        if (!Uri.TryCreate(cleaned, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return UrlPolicyDecision.Deny("The URL is not a valid absolute http(s) URL.");
        }

        (var host, var address) = UrlNormalizer.ParseHost(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost);
        if (host is null)
        {
            return UrlPolicyDecision.Deny($"The host '{Printable(uri.Host)}' is malformed.");
        }

        var decision = CheckHost(host, address);
        if (!decision.Allowed)
        {
            return decision;
        }

        return uri.UserInfo.Length > 0
            ? UrlPolicyDecision.Deny("Credentials (user info before '@') in the URL are not allowed.")
            : UrlPolicyDecision.Allow;
    }

    /// <summary>The host lists, then, for a literal address (in any spelling) or localhost, the address check.</summary>
    public UrlPolicyDecision CheckHost(string host)
    {
        (var normalized, var address) = UrlNormalizer.ParseHost(host);
        return normalized is null ? UrlPolicyDecision.Deny($"The host '{Printable(host)}' is malformed.") : CheckHost(normalized, address);
    }

    /// <summary>Denied networks win, then allowed networks, then the built-in denied ranges.</summary>
    public UrlPolicyDecision CheckAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;
        foreach (var denied in _deniedNetworks)
        {
            if (denied.Contains(plain))
            {
                return UrlPolicyDecision.Deny($"{plain} is in the denied network {denied}.");
            }
        }

        if (_allowedNetworks.Any(n => n.Contains(plain)))
        {
            return UrlPolicyDecision.Allow;
        }

        return AddressClassifier.DeniedRange(plain) is { } range
            ? UrlPolicyDecision.Deny($"{plain} is a {range} address.")
            : UrlPolicyDecision.Allow;
    }

    /// <summary>
    /// The egress check: the host lists, then every address the name resolves to (one look-up). The proxy connects
    /// only to <see cref="ResolvedHost.Addresses"/>, so a second, different DNS answer is never used.
    /// </summary>
    public async Task<ResolvedHost> ResolveAsync(string host, IHostResolver resolver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        (var normalized, var literal) = UrlNormalizer.ParseHost(host);
        if (normalized is null)
        {
            return new ResolvedHost(UrlPolicyDecision.Deny($"The host '{Printable(host)}' is malformed."), []);
        }

        var decision = CheckHost(normalized, literal);
        if (!decision.Allowed)
        {
            return new ResolvedHost(decision, []);
        }

        var addresses = literal is not null ? [literal]
            : IsLocalhost(normalized) ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : await resolver.ResolveAsync(normalized, cancellationToken);
        foreach (var address in addresses)
        {
            var check = CheckAddress(address);
            if (!check.Allowed)
            {
                return new ResolvedHost(UrlPolicyDecision.Deny($"{normalized} resolves to {address}: {check.Reason}"), []);
            }
        }

        return new ResolvedHost(UrlPolicyDecision.Allow, addresses
            .Select(static a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)
            .Where(static a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            .ToArray());
    }

    private UrlPolicyDecision CheckHost(string host, IPAddress? address)
    {
        if (_deniedHosts.Any(p => p.Matches(host)))
        {
            return UrlPolicyDecision.Deny($"The host {host} is denied by configuration.");
        }

        if (_allowedHosts.Length > 0 && !_allowedHosts.Any(p => p.Matches(host)))
        {
            return UrlPolicyDecision.Deny($"The host {host} is not in the allowed hosts.");
        }

        if (address is not null)
        {
            return CheckAddress(address);
        }

        if (IsLocalhost(host))
        {
            // Browsers never ask DNS for these: they are loopback by definition.
            var v4 = CheckAddress(IPAddress.Loopback);
            var v6 = CheckAddress(IPAddress.IPv6Loopback);
            return !v4.Allowed ? UrlPolicyDecision.Deny($"{host} is loopback: {v4.Reason}")
                : !v6.Allowed ? UrlPolicyDecision.Deny($"{host} is loopback: {v6.Reason}")
                : UrlPolicyDecision.Allow;
        }

        return UrlPolicyDecision.Allow;
    }

    private static bool IsLocalhost(string host) => host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal);

    private static HostPattern Pattern(string entry) => HostPattern.TryParse(entry, out var pattern) ? pattern : throw new ArgumentException(entry);

    private static IPNetwork Network(string entry) => UrlPolicyOptions.TryParseNetwork(entry, out var network) ? network : throw new ArgumentException(entry);

    private static string Printable(string text)
    {
        string printable = new(text.Where(static c => !char.IsControl(c)).Take(100).ToArray());
        return printable.Length < text.Length ? printable + "…" : printable;
    }
}
