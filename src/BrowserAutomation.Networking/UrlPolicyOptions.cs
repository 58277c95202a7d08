using System.ComponentModel.DataAnnotations;
using System.Net;

namespace BrowserAutomation.Networking;

/// <summary>
/// Where the browser may go (section "UrlPolicy"; URL_ALLOWED_HOSTS, URL_DENIED_HOSTS, URL_ALLOWED_NETWORKS,
/// URL_DENIED_NETWORKS). Every list accepts entries that are themselves comma-separated, so a flat environment
/// variable and a JSON array both work. By default nothing on loopback, private or other special ranges is reachable.
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

    /// <summary>
    /// Adds the comma-separated forms a configuration binder leaves out of a list: the section key holding one string
    /// (<c>UrlPolicy:AllowedHosts</c>, what URL_ALLOWED_HOSTS is mapped to) and the flat variables themselves
    /// (URL_ALLOWED_HOSTS, URL_DENIED_HOSTS, URL_ALLOWED_NETWORKS, URL_DENIED_NETWORKS). Pass e.g.
    /// <c>key => configuration[key]</c>.
    /// </summary>
    public void ApplyFlatSettings(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        AllowedHosts = Merge(AllowedHosts, nameof(AllowedHosts));
        DeniedHosts = Merge(DeniedHosts, nameof(DeniedHosts));
        AllowedNetworks = Merge(AllowedNetworks, nameof(AllowedNetworks));
        DeniedNetworks = Merge(DeniedNetworks, nameof(DeniedNetworks));

        List<string> Merge(IList<string> bound, string property) =>
            [.. Split([.. bound, setting($"{SectionName}:{property}"), setting(Variable(property))])];
    }

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

    /// <summary>The flat variable of a list: URL_ALLOWED_HOSTS for AllowedHosts.</summary>
    private static string Variable(string property) => property switch
    {
        nameof(AllowedHosts) => "URL_ALLOWED_HOSTS",
        nameof(DeniedHosts) => "URL_DENIED_HOSTS",
        nameof(AllowedNetworks) => "URL_ALLOWED_NETWORKS",
        _ => "URL_DENIED_NETWORKS",
    };

    private static string Setting(string property) => $"{Variable(property)} ({SectionName}:{property})";
}
