using BrowserAutomation.Networking;

namespace BrowserAutomation.UnitTests.Networking;

/// <summary>Hosts read the way browsers read them: every IPv4 spelling, IPv6 forms, IDN, percent-encoding. No sockets.</summary>
public sealed class UrlNormalizerTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("2130706434", "127.0.0.2")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("0X7F000001", "127.0.0.1")]
    [InlineData("0x7f.0.0.1", "127.0.0.1")]
    [InlineData("0x7f.1", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("127.0.0.1.", "127.0.0.1")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("%31%32%37.0.0.1", "127.0.0.1")]
    [InlineData("\uff11\uff12\uff17.0.0.1", "127.0.0.1")]
    [InlineData("127\u30020\u30020\u30021", "127.0.0.1")]
    [InlineData("169.254.169.254", "169.254.169.254")]
    [InlineData("[::1]", "::1")]
    [InlineData("[::ffff:127.0.0.1]", "::ffff:127.0.0.1")]
    [InlineData("[::ffff:7f00:1]", "::ffff:127.0.0.1")]
    [InlineData("[0:0:0:0:0:ffff:7f00:1]", "::ffff:127.0.0.1")]
    [InlineData("[fe80::1%25eth0]", "fe80::1")]
    [InlineData("::1", "::1")]
    [InlineData("ExAmple.COM", "example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("b\u00fccher.de", "xn--bcher-kva.de")]
    [InlineData("XN--BCHER-KVA.de", "xn--bcher-kva.de")]
    [InlineData("internal.test", "internal.test")]
    public void Hosts_are_normalised(string host, string expected) => Assert.Equal(expected, UrlNormalizer.NormalizeHost(host));

    [Theory]
    [InlineData("")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("0x100000000")]
    [InlineData("127.0.0.0x")]
    [InlineData("exa mple.com")]
    [InlineData("evil.com%2f@x")]
    [InlineData("[::1")]
    [InlineData("[not-an-address]")]
    [InlineData("a..b")]
    public void Malformed_hosts_are_null(string host) => Assert.Null(UrlNormalizer.NormalizeHost(host));

    [Theory]
    [InlineData("HTTP://x/", "http")]
    [InlineData("File:/etc/passwd", "file")]
    [InlineData("  javascript:alert(1)", "javascript")]
    [InlineData("java\tscript:alert(1)", "javascript")]
    [InlineData("/etc/passwd", null)]
    [InlineData("//evil.com/", null)]
    public void Schemes_are_read_after_cleaning(string url, string? scheme) => Assert.Equal(scheme, UrlNormalizer.Scheme(UrlNormalizer.Clean(url)));

    [Fact]
    public void Backslashes_before_the_query_are_slashes() =>
        Assert.Equal("http://127.0.0.1/a?b=\\c", UrlNormalizer.Clean("http:\\\\127.0.0.1\\a?b=\\c"));
}
