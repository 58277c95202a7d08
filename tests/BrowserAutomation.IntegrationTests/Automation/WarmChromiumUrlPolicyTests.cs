using BrowserAutomation.IntegrationTests.Support;

namespace BrowserAutomation.IntegrationTests.Automation;

/// <summary>The URL policy's representative cases (the Firefox subset) and DNS rebinding, on warm contexts recycled every five pages.</summary>
public sealed class WarmChromiumUrlPolicyTests(WarmPoolFixture fixture, LoopbackTargetsFixture targets)
    : UrlPolicyTests(fixture, targets), IClassFixture<WarmPoolFixture>, IClassFixture<LoopbackTargetsFixture>
{
    [Theory]
    [MemberData(nameof(FirefoxCaseNames))]
    public Task Hostile_url_is_refused_and_no_denied_listener_is_reached(string name) => RefusedAsync(name);

    [Fact]
    public Task Dns_rebinding_is_caught_by_the_proxy() => RebindingIsCaughtAsync();
}
