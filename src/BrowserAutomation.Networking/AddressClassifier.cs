using System.Net;
using System.Net.Sockets;

namespace BrowserAutomation.Networking;

/// <summary>
/// The built-in denied ranges: loopback, private, link-local, CGNAT, multicast, reserved, documentation, benchmarking
/// and the IPv6 equivalents. IPv6 forms that carry an IPv4 address (mapped, compatible, 6to4, NAT64) are judged by it.
/// </summary>
public static class AddressClassifier
{
    private static readonly (IPNetwork Network, string Name)[] V4Ranges =
    [
        (IPNetwork.Parse("255.255.255.255/32"), "broadcast"),
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified / this network"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (cloud metadata)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        (IPNetwork.Parse("192.88.99.0/24"), "6to4 relay anycast"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
    ];

    private static readonly (IPNetwork Network, string Name)[] V6Ranges =
    [
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "local-use NAT64"),
        (IPNetwork.Parse("100::/64"), "discard-only"),
        (IPNetwork.Parse("2001::/32"), "Teredo"),
        (IPNetwork.Parse("2001::/23"), "IETF protocol assignments"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("3fff::/20"), "documentation"),
        (IPNetwork.Parse("fc00::/7"), "unique local"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>Why the address is in a built-in denied range (e.g. "loopback (127.0.0.0/8)"), or null when it is not.</summary>
    public static string? DeniedRange(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Find(V4Ranges, address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        if (address.ScopeId != 0)
        {
            address = new IPAddress(address.GetAddressBytes());
        }

        if (Find(V6Ranges, address) is { } v6)
        {
            return v6;
        }

        return EmbeddedIPv4(address) is ({ } embedded, string kind) && DeniedRange(embedded) is { } inner
            ? $"{kind} of {embedded} ({inner})"
            : null;
    }

    /// <summary>The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, NAT64), with the kind of embedding.</summary>
    public static (IPAddress? Address, string? Kind) EmbeddedIPv4(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return (null, null);
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return (address.MapToIPv4(), "IPv4-mapped address");
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return (new IPAddress(bytes.AsSpan(12, 4)), "NAT64 address");
        }

        if (SixToFour.Contains(address))
        {
            return (new IPAddress(bytes.AsSpan(2, 4)), "6to4 address");
        }

        if (Compatible.Contains(address))
        {
            return (new IPAddress(bytes.AsSpan(12, 4)), "IPv4-compatible address");
        }

        return (null, null);
    }

    private static string? Find((IPNetwork Network, string Name)[] ranges, IPAddress address)
    {
        foreach ((var network, var name) in ranges)
        {
            if (network.Contains(address))
            {
                return $"{name} ({network})";
            }
        }

        return null;
    }
}
