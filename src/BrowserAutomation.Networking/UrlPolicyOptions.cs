using System.ComponentModel.DataAnnotations;
using System.Net;

namespace BrowserAutomation.Networking;

/// <summary>
/// Where the browser may go (section "UrlPolicy"; URL_ALLOWED_HOSTS, URL_DENIED_HOSTS, URL_ALLOWED_NETWORKS,
/// URL_DENIED_NETWORKS, mapped by the hosts' environment mapping). Every list accepts entries that are themselves
/// comma-separated. By default nothing on loopback, private or other special ranges is reachable.
/// </summary>
public sealed class UrlPolicyOptions : IValidatableObject
{
    public const string SectionName = "UrlPolicy";

    /// <summary>Host names or <c>*.example.com</c> wildcards; when any is set, every other host is refused.</summary>
    public IList<string> AllowedHosts { get; set; } = [];

    /// <summary>Host names or wildcards that are always refused.</summary>
    public IList<string> DeniedHosts { get; set; } = [];

    /// <summary>Addresses or CIDRs exempt from the built-in denied ranges, e.g. <c>127.0.0.1/32</c>.</summary>
    public IList<string> AllowedNetworks { get; set; } = [];

    /// <summary>Extra addresses or CIDRs that are refused (they win over <see cref="AllowedNetworks"/>).</summary>
    public IList<string> DeniedNetworks { get; set; } = [];

    /// <summary>Splits comma-separated entries, trims them and drops blanks and duplicates.</summary>
    public static IReadOnlyList<string> Split(IEnumerable<string?>? entries) =>
        (entries ?? [])
            .SelectMany(static e => (e ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();

    /// <summary>An address is a network of one: <c>10.1.2.3</c> reads as <c>10.1.2.3/32</c>.</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        var value = text.Trim();
        if (value.StartsWith('[') && value.EndsWith(']'))
        {
            value = value[1..^1];
        }

        if (!value.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(value, out var single)
            && (single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork || single.ScopeId == 0))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        // Bits set beyond the prefix (10.0.0.1/8) are a typo or a misunderstanding: refuse rather than guess.
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return IPNetwork.TryParse(value, out network)
            && slash > 0
            && IPAddress.TryParse(value[..slash], out var baseAddress)
            && network.BaseAddress.Equals(baseAddress);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach ((var name, var list) in new[] { (nameof(AllowedNetworks), AllowedNetworks), (nameof(DeniedNetworks), DeniedNetworks) })
        {
            foreach (var entry in Split(list).Where(static e => !TryParseNetwork(e, out _)))
            {
                yield return new ValidationResult(
                    $"{Setting(name)}: '{entry}' is not an IP address or a CIDR network such as 127.0.0.1/32 or fd00::/8 (no host bits beyond the prefix).",
                    [name]);
            }
        }

        foreach ((var name, var list) in new[] { (nameof(AllowedHosts), AllowedHosts), (nameof(DeniedHosts), DeniedHosts) })
        {
            foreach (var entry in Split(list).Where(static e => !HostPattern.TryParse(e, out _)))
            {
                yield return new ValidationResult(
                    $"{Setting(name)}: '{entry}' is not a host name, an IP address or a wildcard such as *.example.com.", [name]);
            }
        }
    }

    // Named by key; the hosts' settings validator adds the variable (URL_ALLOWED_HOSTS ...) that sets it.
    private static string Setting(string property) => $"{SectionName}:{property}";
}
