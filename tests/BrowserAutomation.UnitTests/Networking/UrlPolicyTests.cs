using System.ComponentModel.DataAnnotations;
using System.Net;
using BrowserAutomation.Hosting;
using BrowserAutomation.Networking;
using Microsoft.Extensions.Configuration;

namespace BrowserAutomation.UnitTests.Networking;

/// <summary>The DNS-free URL check, the allow/deny lists and their precedence, and the proxy-side resolution with a fake resolver. No sockets.</summary>
public sealed class UrlPolicyTests
{
    private static readonly UrlPolicy Default = UrlPolicy.Default;

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("FILE:///etc/passwd")]
    [InlineData("File:/etc/passwd")]
    [InlineData("file:/etc/passwd")]
    [InlineData("file:///")]
    [InlineData("file://localhost/etc/passwd")]
    [InlineData("fIlE://127.0.0.1/etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData(" javascript:alert(1)")]
    [InlineData("java\nscript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("DATA:text/html;base64,PGgxPng8L2gxPg==")]
    [InlineData("about:config")]
    [InlineData("about:srcdoc")]
    [InlineData("chrome://version")]
    [InlineData("chrome-extension://abc/")]
    [InlineData("view-source:http://example.com/")]
    [InlineData("blob:http://example.com/0b0e7b0a-1a2b-4c3d-8e9f-000000000000")]
    [InlineData("ftp://example.com/")]
    [InlineData("ws://example.com/")]
    [InlineData("wss://example.com/")]
    [InlineData("gopher://example.com/")]
    [InlineData("resource://gre/")]
    [InlineData("moz-extension://x/")]
    [InlineData("/etc/passwd")]
    [InlineData("//example.com/")]
    [InlineData("example.com")]
    [InlineData("")]
    [InlineData("   ")]
    public void Only_http_and_https_schemes_pass(string url)
    {
        var decision = Default.CheckUrl(url);

        Assert.False(decision.Allowed, url);
        Assert.False(string.IsNullOrEmpty(decision.Reason));
    }

    [Theory]
    [InlineData("http://example.com/")]
    [InlineData("HTTP://EXAMPLE.COM/")]
    [InlineData("Https://example.com:8443/a?b#c")]
    [InlineData("https://b\u00fccher.de/")]
    [InlineData("http://8.8.8.8/")]
    [InlineData("http://[2606:4700:4700::1111]/")]
    [InlineData("about:blank")]
    [InlineData("ABOUT:BLANK")]
    public void Public_http_urls_pass(string url) => Assert.True(Default.CheckUrl(url).Allowed, Default.CheckUrl(url).Reason);

    [Theory]
    [InlineData("http://127.0.0.1/", "loopback")]
    [InlineData("HTTP://127.0.0.1/", "loopback")]
    [InlineData("hTtPs://127.0.0.1/", "loopback")]
    [InlineData("http://2130706433/", "loopback")]
    [InlineData("http://0177.0.0.1/", "loopback")]
    [InlineData("http://0x7f000001/", "loopback")]
    [InlineData("http://0x7f.0.0.1/", "loopback")]
    [InlineData("http://127.1/", "loopback")]
    [InlineData("http://127.0.0.1./", "loopback")]
    [InlineData("http://127.0.0.1:8080/", "loopback")]
    [InlineData("http://[::1]/", "loopback")]
    [InlineData("http://[::ffff:127.0.0.1]/", "loopback")]
    [InlineData("http://[::ffff:7f00:1]/", "loopback")]
    [InlineData("http://[::127.0.0.1]/", "loopback")]
    [InlineData("http://[2002:7f00:1::]/", "loopback")]
    [InlineData("http://[64:ff9b::7f00:1]/", "loopback")]
    [InlineData("http://localhost/", "loopback")]
    [InlineData("http://LOCALHOST./", "loopback")]
    [InlineData("http://app.localhost/", "loopback")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "link-local")]
    [InlineData("http://[::ffff:169.254.169.254]/", "link-local")]
    [InlineData("http://2852039166/", "link-local")]
    [InlineData("http://10.0.0.1/", "private")]
    [InlineData("http://172.16.0.1/", "private")]
    [InlineData("http://192.168.0.1/", "private")]
    [InlineData("http://100.64.0.1/", "carrier-grade NAT")]
    [InlineData("http://0.0.0.0/", "unspecified")]
    [InlineData("http://0/", "unspecified")]
    [InlineData("http://255.255.255.255/", "broadcast")]
    [InlineData("http://[fd00::1]/", "unique local")]
    [InlineData("http://[fe80::1%25eth0]/", "link-local")]
    [InlineData("http://[fec0::1]/", "site-local")]
    [InlineData("http://[ff02::1]/", "multicast")]
    [InlineData("http://[2001::1]/", "Teredo")]
    [InlineData("http:\\\\127.0.0.1\\admin", "loopback")]
    [InlineData("http:/\\127.0.0.1/", "loopback")]
    [InlineData("http://evil@127.0.0.1/", "loopback")]
    [InlineData("http://\uff11\uff12\uff17.0.0.1/", "loopback")]
    public void Literal_denied_addresses_are_refused_in_every_spelling(string url, string range)
    {
        var decision = Default.CheckUrl(url);

        Assert.False(decision.Allowed, url);
        Assert.Contains(range, decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1@evil.com/")]
    [InlineData("http://user:pass@example.com/")]
    [InlineData("http://127.0.0.1%2f@evil.com/")]
    [InlineData("http://example.com@8.8.8.8/")]
    public void Credentials_in_urls_are_refused(string url)
    {
        var decision = Default.CheckUrl(url);

        Assert.False(decision.Allowed, url);
        Assert.Contains("Credentials", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://%31%32%37.0.0.1/")]
    [InlineData("http://256.0.0.1/")]
    [InlineData("http://1.2.3.4.5/")]
    [InlineData("http://exa mple.com/")]
    [InlineData("http:///path")]
    [InlineData("http://[::1/")]
    public void Malformed_or_percent_encoded_hosts_are_refused(string url) => Assert.False(Default.CheckUrl(url).Allowed, url);

    [Theory]
    [InlineData("http://127.0.0.1:5000/", true)]
    [InlineData("http://2130706433/", true)]
    [InlineData("http://[::ffff:127.0.0.1]/", true)]
    [InlineData("http://127.0.0.2/", false)]
    [InlineData("http://[::1]/", false)]
    [InlineData("http://localhost/", false)]
    public void Allowed_networks_exempt_exactly_their_addresses(string url, bool allowed)
    {
        var policy = new UrlPolicy(new UrlPolicyOptions { AllowedNetworks = ["127.0.0.1/32"] });

        Assert.Equal(allowed, policy.CheckUrl(url).Allowed);
    }

    [Fact]
    public void Denied_networks_win_over_allowed_networks_and_apply_to_public_addresses()
    {
        var policy = new UrlPolicy(new UrlPolicyOptions
        {
            AllowedNetworks = ["10.0.0.0/8"],
            DeniedNetworks = ["10.1.0.0/16, 8.8.8.0/24"],
        });

        Assert.True(policy.CheckUrl("http://10.2.3.4/").Allowed);
        Assert.False(policy.CheckUrl("http://10.1.2.3/").Allowed);
        Assert.Contains("denied network", policy.CheckUrl("http://8.8.8.8/").Reason, StringComparison.Ordinal);
        Assert.True(policy.CheckUrl("http://8.8.4.4/").Allowed);
    }

    [Theory]
    [InlineData("http://example.com/", true)]
    [InlineData("http://EXAMPLE.com./", true)]
    [InlineData("http://api.example.com/", true)]
    [InlineData("http://deep.api.example.com/", true)]
    [InlineData("http://secret.example.com/", false)]
    [InlineData("http://x.secret.example.com/", false)]
    [InlineData("http://example.org/", false)]
    [InlineData("http://evilexample.com/", false)]
    [InlineData("http://8.8.8.8/", false)]
    [InlineData("http://b\u00fccher.de/", true)]
    public void Host_lists_match_names_and_wildcards_and_denied_wins(string url, bool allowed)
    {
        var policy = new UrlPolicy(new UrlPolicyOptions
        {
            AllowedHosts = ["example.com,*.example.com", "xn--bcher-kva.de"],
            DeniedHosts = ["secret.example.com", "*.secret.example.com"],
        });

        Assert.Equal(allowed, policy.CheckUrl(url).Allowed);
    }

    [Fact]
    public void An_allowed_host_does_not_exempt_a_denied_address()
    {
        var policy = new UrlPolicy(new UrlPolicyOptions { AllowedHosts = ["127.0.0.1"] });

        Assert.False(policy.CheckUrl("http://127.0.0.1/").Allowed);
    }

    [Theory]
    [InlineData("AllowedNetworks", "10.0.0.1/8")]
    [InlineData("AllowedNetworks", "not-a-network")]
    [InlineData("DeniedNetworks", "10.0.0.0/33")]
    [InlineData("AllowedHosts", "exa mple.com")]
    [InlineData("DeniedHosts", "*")]
    public void Malformed_entries_fail_validation_with_the_property_name(string property, string entry)
    {
        var options = new UrlPolicyOptions();
        ((IList<string>)typeof(UrlPolicyOptions).GetProperty(property)!.GetValue(options)!).Add(entry);

        var error = Assert.Single(options.Validate(new ValidationContext(options)));
        Assert.Contains(property, error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(entry, error.ErrorMessage, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new UrlPolicy(options));
    }

    [Fact]
    public void Comma_separated_entries_are_split_and_trimmed() =>
        Assert.Equal(["a.test", "b.test", "127.0.0.1/32"], UrlPolicyOptions.Split(["a.test, b.test,", " 127.0.0.1/32 ", "A.TEST"]));

    [Fact]
    public void Flat_settings_are_merged_into_the_bound_lists()
    {
        var options = new UrlPolicyOptions();
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["UrlPolicy:AllowedNetworks:0"] = "10.0.0.0/8",
            ["UrlPolicy:AllowedNetworks"] = "127.0.0.1/32, 10.0.0.0/8",
            ["URL_DENIED_NETWORKS"] = "8.8.8.0/24",
            ["URL_ALLOWED_HOSTS"] = "a.test,*.b.test",
            ["UrlPolicy:DeniedHosts"] = "c.test",
        }).Build();

        SettingsBinder.Bind(settings, UrlPolicyOptions.SectionName, options);

        Assert.Equal(["10.0.0.0/8", "127.0.0.1/32"], options.AllowedNetworks);
        Assert.Equal(["8.8.8.0/24"], options.DeniedNetworks);
        Assert.Equal(["a.test", "*.b.test"], options.AllowedHosts);
        Assert.Equal(["c.test"], options.DeniedHosts);
    }

    [Fact]
    public async Task Every_resolved_address_is_checked()
    {
        var resolver = new FakeResolver { ["mixed.test"] = [IPAddress.Parse("8.8.8.8"), IPAddress.Parse("10.0.0.1")], ["public.test"] = [IPAddress.Parse("8.8.8.8")] };

        var mixed = await Default.ResolveAsync("mixed.test", resolver, CancellationToken.None);
        var single = await Default.ResolveAsync("public.test", resolver, CancellationToken.None);

        Assert.False(mixed.Decision.Allowed);
        Assert.Contains("10.0.0.1", mixed.Decision.Reason, StringComparison.Ordinal);
        Assert.Empty(mixed.Addresses);
        Assert.True(single.Decision.Allowed);
        Assert.Equal([IPAddress.Parse("8.8.8.8")], single.Addresses);
    }

    [Fact]
    public async Task Mapped_answers_are_judged_and_connected_as_IPv4()
    {
        var resolver = new FakeResolver { ["mapped.test"] = [IPAddress.Parse("::ffff:127.0.0.1")], ["ok.test"] = [IPAddress.Parse("::ffff:8.8.8.8")] };

        Assert.False((await Default.ResolveAsync("mapped.test", resolver, CancellationToken.None)).Decision.Allowed);
        Assert.Equal([IPAddress.Parse("8.8.8.8")], (await Default.ResolveAsync("ok.test", resolver, CancellationToken.None)).Addresses);
    }

    [Fact]
    public async Task Literal_addresses_and_localhost_never_reach_the_resolver()
    {
        var resolver = new FakeResolver();

        Assert.False((await Default.ResolveAsync("0x7f000001", resolver, CancellationToken.None)).Decision.Allowed);
        Assert.False((await Default.ResolveAsync("localhost", resolver, CancellationToken.None)).Decision.Allowed);
        Assert.False((await Default.ResolveAsync("[::1]", resolver, CancellationToken.None)).Decision.Allowed);
        Assert.Equal(0, resolver.Lookups);
    }

    [Fact]
    public async Task Denied_hosts_are_refused_before_any_lookup()
    {
        var policy = new UrlPolicy(new UrlPolicyOptions { DeniedHosts = ["*.internal.test"] });
        var resolver = new FakeResolver { ["db.internal.test"] = [IPAddress.Parse("8.8.8.8")] };

        Assert.False((await policy.ResolveAsync("db.internal.test", resolver, CancellationToken.None)).Decision.Allowed);
        Assert.Equal(0, resolver.Lookups);
    }

    private sealed class FakeResolver : Dictionary<string, IPAddress[]>, IHostResolver
    {
        public int Lookups { get; private set; }

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Lookups++;
            return Task.FromResult(TryGetValue(host, out var addresses) ? addresses : []);
        }
    }
}
