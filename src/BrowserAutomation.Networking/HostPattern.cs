namespace BrowserAutomation.Networking;

/// <summary>A configured host: an exact name (or address) or <c>*.example.com</c>, which matches subdomains only.</summary>
internal readonly record struct HostPattern(string Host, bool Subdomains)
{
    public static bool TryParse(string text, out HostPattern pattern)
    {
        pattern = default;
        var value = text.Trim();
        var wildcard = value.StartsWith("*.", StringComparison.Ordinal);
        if (wildcard)
        {
            value = value[2..];
        }

        if (UrlNormalizer.NormalizeHost(value) is not { } host || host.Contains('*', StringComparison.Ordinal))
        {
            return false;
        }

        pattern = new HostPattern(host, wildcard);
        return true;
    }

    public bool Matches(string normalizedHost) => Subdomains
        ? normalizedHost.Length > Host.Length + 1
          && normalizedHost.EndsWith(Host, StringComparison.Ordinal)
          && normalizedHost[^(Host.Length + 1)] == '.'
        : normalizedHost == Host;
}
