using BrowserAutomation.Networking;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>The tests' egress proxy: the test site on 127.0.0.1 is allowed explicitly, everything else on loopback is not.</summary>
public static class TestEgress
{
    public static UrlPolicyOptions Options() => new() { AllowedNetworks = ["127.0.0.1/32"] };

    /// <summary>A proxy whose resolver knows only the names the test maps (by default none: no real DNS, ever).</summary>
    public static EgressProxy Create(TestHostResolver? resolver = null) => new(new UrlPolicy(Options()), resolver ?? new TestHostResolver());
}
