using System.Net;
using BrowserAutomation.Networking;

namespace BrowserAutomation.UnitTests.Networking;

/// <summary>The built-in denied ranges, IPv4 and IPv6, including IPv4 addresses carried inside IPv6 ones. No sockets.</summary>
public sealed class AddressClassifierTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("10.255.255.255", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.255", "carrier-grade NAT")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("250.1.2.3", "reserved")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("198.19.255.255", "benchmarking")]
    [InlineData("192.0.2.1", "documentation")]
    [InlineData("198.51.100.7", "documentation")]
    [InlineData("203.0.113.9", "documentation")]
    [InlineData("192.0.0.8", "IETF protocol")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fd12:3456::1", "unique local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("febf::1", "link-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("ff0e::1", "multicast")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("2001::1", "Teredo")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo")]
    [InlineData("64:ff9b:1::7f00:1", "local-use NAT64")]
    [InlineData("100::1", "discard-only")]
    public void Denied_ranges_are_named(string address, string expected)
    {
        var reason = AddressClassifier.DeniedRange(IPAddress.Parse(address));

        Assert.NotNull(reason);
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "IPv4-mapped", "loopback")]
    [InlineData("::ffff:7f00:2", "IPv4-mapped", "loopback")]
    [InlineData("::ffff:169.254.169.254", "IPv4-mapped", "link-local")]
    [InlineData("::ffff:10.1.2.3", "IPv4-mapped", "private")]
    [InlineData("::127.0.0.1", "IPv4-compatible", "loopback")]
    [InlineData("::10.0.0.1", "IPv4-compatible", "private")]
    [InlineData("2002:7f00:1::", "6to4", "loopback")]
    [InlineData("2002:a9fe:a9fe::1", "6to4", "link-local")]
    [InlineData("2002:c0a8:0101::", "6to4", "private")]
    [InlineData("64:ff9b::7f00:1", "NAT64", "loopback")]
    [InlineData("64:ff9b::169.254.169.254", "NAT64", "link-local")]
    [InlineData("64:ff9b::a00:1", "NAT64", "private")]
    public void Embedded_IPv4_is_judged_by_the_IPv4_address(string address, string embedding, string range)
    {
        var reason = AddressClassifier.DeniedRange(IPAddress.Parse(address));

        Assert.NotNull(reason);
        Assert.Contains(embedding, reason, StringComparison.Ordinal);
        Assert.Contains(range, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001::1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2002:808:808::1")]
    [InlineData("64:ff9b::808:808")]
    public void Public_addresses_pass(string address) => Assert.Null(AddressClassifier.DeniedRange(IPAddress.Parse(address)));

    [Fact]
    public void A_zone_does_not_hide_link_local() =>
        Assert.Contains("link-local", AddressClassifier.DeniedRange(IPAddress.Parse("fe80::1%2")), StringComparison.Ordinal);
}
