using System.Net;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.IntegrationTests.Automation;

/// <summary>The loopback listeners for one test class (see <see cref="LoopbackTargets"/>).</summary>
public sealed class LoopbackTargetsFixture : IAsyncLifetime
{
    public LoopbackTargets Targets { get; private set; } = null!;

    public async Task InitializeAsync() => Targets = await LoopbackTargets.StartAsync();

    public async Task DisposeAsync() => await Targets.DisposeAsync();
}

/// <summary>
/// Hostile URLs and page tricks through the real executor and browser, with only 127.0.0.1 allowed: every one is
/// refused (url_blocked for the page's own navigation, listed in blockedRequests for what the page loads), and the
/// listeners on the denied loopback aliases (127.0.0.2, 127.0.0.3, ::1) see no connection at all. Names are .test
/// names that only the tests' resolver answers; the browsers never resolve anything themselves.
/// </summary>
public abstract class UrlPolicyTests(PoolFixture fixture, LoopbackTargetsFixture targets)
{
    protected PoolFixture Fixture { get; } = fixture;

    protected LoopbackTargets Targets { get; } = targets.Targets;

    public enum Expect
    {
        /// <summary>The page's own navigation is refused: the job fails as url_blocked.</summary>
        Navigation,

        /// <summary>The page loads; the refused request is listed in blockedRequests.</summary>
        Listed,

        /// <summary>The browser or the proxy stops it; nothing to list (no request of the page's context reaches the proxy).</summary>
        Contained,
    }

    public sealed record HostileCase(
        Expect Expect, Func<LoopbackTargets, string> Url, Func<LoopbackTargets, JobAction>? Action = null, Func<LoopbackTargets, string>? HtmlFor = null, string? Listed = "127.0.0.2");

    private static readonly JobAction Settle = new() { Action = "wait", Milliseconds = 1_000 };

    public static readonly IReadOnlyDictionary<string, HostileCase> Cases = new Dictionary<string, HostileCase>(StringComparer.Ordinal)
    {
        // The job URL itself, in every spelling of a denied address (refused before the browser is involved).
        ["direct"] = Nav(t => $"{t.DeniedBase}/"),
        ["uppercase-scheme"] = Nav(t => $"HTTP://127.0.0.2:{t.Port}/"),
        ["mixed-case-scheme"] = Nav(t => $"hTtP://127.0.0.2:{t.Port}/"),
        ["https-direct"] = Nav(t => $"https://127.0.0.2:{t.Port}/"),
        ["decimal"] = Nav(t => $"http://2130706434:{t.Port}/"),
        ["octal"] = Nav(t => $"http://0177.0.0.2:{t.Port}/"),
        ["hex"] = Nav(t => $"http://0x7f000002:{t.Port}/"),
        ["hex-dotted"] = Nav(t => $"http://0x7f.0.0.2:{t.Port}/"),
        ["short"] = Nav(t => $"http://127.2:{t.Port}/"),
        ["trailing-dot"] = Nav(t => $"http://127.0.0.2.:{t.Port}/"),
        ["other-alias"] = Nav(t => $"http://127.0.0.3:{t.Port}/"),
        ["ipv6-loopback"] = Nav(t => $"http://[::1]:{t.Port}/"),
        ["ipv4-mapped"] = Nav(t => $"http://[::ffff:127.0.0.2]:{t.Port}/"),
        ["ipv4-mapped-hex"] = Nav(t => $"http://[::ffff:7f00:2]:{t.Port}/"),
        ["ipv4-compatible"] = Nav(t => $"http://[::127.0.0.2]:{t.Port}/"),
        ["localhost"] = Nav(t => $"http://localhost:{t.Port}/"),
        ["userinfo-host"] = Nav(t => $"http://evil@127.0.0.2:{t.Port}/"),
        ["userinfo-trick"] = Nav(t => $"http://127.0.0.1@127.0.0.2:{t.Port}/"),
        ["backslashes"] = Nav(t => $"http:\\\\127.0.0.2:{t.Port}\\"),
        ["file"] = Nav(_ => "file:///etc/passwd"),
        ["file-uppercase"] = Nav(_ => "FILE:///etc/passwd"),
        ["file-mixed-case"] = Nav(_ => "File:/etc/passwd"),
        ["file-one-slash"] = Nav(_ => "file:/etc/passwd"),
        ["file-root"] = Nav(_ => "file:///"),
        ["file-localhost"] = Nav(_ => "file://localhost/etc/passwd"),
        ["bare-path"] = Nav(_ => "/etc/passwd"),
        ["javascript"] = Nav(t => $"javascript:fetch('{t.DeniedBase}/')"),
        ["data"] = Nav(t => $"data:text/html,<img src={t.DeniedBase}/x.png>"),
        ["about-config"] = Nav(_ => "about:config"),
        ["chrome"] = Nav(_ => "chrome://version"),
        ["view-source"] = Nav(t => $"view-source:{t.DeniedBase}/"),
        ["blob"] = Nav(t => $"blob:{t.AllowedBase}/00000000-0000-0000-0000-000000000000"),
        ["ftp"] = Nav(t => $"ftp://127.0.0.2:{t.Port}/"),
        ["websocket-url"] = Nav(t => $"ws://127.0.0.1:{t.Port}/"),
        // A name that resolves to a denied address: only the proxy can tell.
        ["name"] = Nav(t => $"http://internal.test:{t.Port}/"),
        ["name-https"] = Nav(t => $"https://internal.test:{t.Port}/"),
        // Later navigations of the page.
        ["goto"] = new(Expect.Navigation, Ok, Action: t => new JobAction { Action = "goto", Url = $"{t.DeniedBase}/goto" }),
        ["goto-name"] = new(Expect.Navigation, Ok, Action: t => new JobAction { Action = "goto", Url = $"http://internal.test:{t.Port}/goto" }),
        ["redirect-301"] = Nav(t => $"{t.AllowedBase}/redirect/301"),
        ["redirect-302"] = Nav(t => $"{t.AllowedBase}/redirect/302"),
        ["redirect-307"] = Nav(t => $"{t.AllowedBase}/redirect/307"),
        ["redirect-https"] = Nav(t => $"{t.AllowedBase}/redirect/https"),
        ["redirect-name"] = Nav(t => $"{t.AllowedBase}/redirect/name"),
        ["redirect-decimal"] = Nav(t => $"{t.AllowedBase}/redirect/decimal"),
        ["meta-refresh"] = Trick(Expect.Navigation, t => $"<meta http-equiv=\"refresh\" content=\"0;url={t.DeniedBase}/refresh\">"),
        ["js-location"] = Trick(Expect.Navigation, t => $"<script>location.href = '{t.DeniedBase}/location';</script>"),
        ["form-post"] = Trick(Expect.Navigation, t => $"<form method=\"post\" action=\"{t.DeniedBase}/post\"><input name=\"a\" value=\"1\"></form><script>document.forms[0].submit();</script>"),
        // What the page loads.
        ["img"] = Trick(Expect.Listed, t => $"<img src=\"{t.DeniedBase}/img.png\">"),
        ["script"] = Trick(Expect.Listed, t => $"<script src=\"{t.DeniedBase}/script.js\"></script>"),
        ["stylesheet"] = Trick(Expect.Listed, t => $"<link rel=\"stylesheet\" href=\"{t.DeniedBase}/style.css\">"),
        ["css-background"] = Trick(Expect.Listed, t => $"<div style=\"width:10px;height:10px;background-image:url('{t.DeniedBase}/bg.png')\"></div>"),
        ["iframe"] = Trick(Expect.Listed, t => $"<iframe src=\"{t.DeniedBase}/frame\"></iframe>"),
        ["fetch"] = Trick(Expect.Listed, t => $"<script>fetch('{t.DeniedBase}/fetch').catch(() => {{}});</script>"),
        ["xhr"] = Trick(Expect.Listed, t => $"<script>const x = new XMLHttpRequest(); x.open('GET', '{t.DeniedBase}/xhr'); x.send();</script>"),
        ["fetch-https"] = Trick(Expect.Listed, t => $"<script>fetch('https://127.0.0.2:{t.Port}/fetch').catch(() => {{}});</script>"),
        ["fetch-decimal"] = Trick(Expect.Listed, t => $"<script>fetch('http://2130706434:{t.Port}/fetch').catch(() => {{}});</script>"),
        ["img-name"] = Trick(Expect.Listed, t => $"<img src=\"http://internal.test:{t.Port}/img.png\">", listed: "internal.test"),
        ["img-ipv6"] = Trick(Expect.Listed, t => $"<img src=\"http://[::1]:{t.Port}/img.png\">", listed: "[::1]"),
        ["beacon"] = Trick(Expect.Contained, t => $"<script>navigator.sendBeacon('{t.DeniedBase}/beacon', 'x');</script>"),
        ["websocket"] = Trick(Expect.Listed, t => $"<script>try {{ new WebSocket('ws://127.0.0.2:{t.Port}/ws'); }} catch (e) {{}}</script>"),
        ["websocket-name"] = Trick(Expect.Listed, t => $"<script>try {{ new WebSocket('ws://internal.test:{t.Port}/ws'); }} catch (e) {{}}</script>", listed: "internal.test"),
        ["window-open"] = Trick(Expect.Contained, t => $"<script>window.open('{t.DeniedBase}/popup');</script>"),
        ["iframe-data"] = Trick(Expect.Contained, t => $"<iframe src=\"data:text/html,&lt;img src='{t.DeniedBase}/data-img.png'&gt;\"></iframe>"),
        ["iframe-file"] = Trick(Expect.Contained, _ => "<iframe src=\"file:///etc/passwd\"></iframe>"),
        // WebRTC: STUN over UDP would go around the proxy; TURN over TCP may only go through it.
        ["webrtc-stun"] = Trick(Expect.Contained, t => WebRtc($"{{ urls: 'stun:127.0.0.2:{t.Port}' }}")),
        ["webrtc-turn-tcp"] = Trick(Expect.Contained, t => WebRtc($"{{ urls: 'turn:127.0.0.2:{t.Port}?transport=tcp', username: 'u', credential: 'p' }}")),
    };

    /// <summary>A representative subset for Firefox (each launch and job there is slower).</summary>
    public static readonly string[] FirefoxCases =
    [
        "direct", "decimal", "ipv6-loopback", "file", "name", "name-https", "goto-name", "redirect-302", "redirect-https", "redirect-name",
        "meta-refresh", "js-location", "form-post", "img", "iframe", "fetch", "fetch-https", "img-name", "websocket", "window-open", "iframe-file",
        "webrtc-stun", "webrtc-turn-tcp",
    ];

    public static TheoryData<string> AllCaseNames() => new(Cases.Keys);

    public static TheoryData<string> FirefoxCaseNames() => new(FirefoxCases);

    private static Func<LoopbackTargets, string> Ok => static t => $"{t.AllowedBase}/ok";

    private static string WebRtc(string server) =>
        $"<script>try {{ const pc = new RTCPeerConnection({{ iceServers: [{server}] }}); pc.createDataChannel('x'); pc.createOffer().then(o => pc.setLocalDescription(o)).catch(() => {{}}); }} catch (e) {{}}</script>";

    private static HostileCase Nav(Func<LoopbackTargets, string> url) => new(Expect.Navigation, url);

    /// <summary>A page on the allowed address with the trick in it; its HTML is built from the targets when the test runs.</summary>
    private static HostileCase Trick(Expect expect, Func<LoopbackTargets, string> html, string listed = "127.0.0.2") =>
        new(expect, t => $"{t.AllowedBase}/trick/", HtmlFor: html, Listed: listed);

    protected async Task RefusedAsync(string name)
    {
        var hostile = Cases[name];
        Targets.Page("/ok", "<html><head><title>OK</title></head><body>ok</body></html>");
        Targets.Redirect("/redirect/301", 301, $"{Targets.DeniedBase}/r301");
        Targets.Redirect("/redirect/302", 302, $"{Targets.DeniedBase}/r302");
        Targets.Redirect("/redirect/307", 307, $"{Targets.DeniedBase}/r307");
        Targets.Redirect("/redirect/https", 302, $"https://127.0.0.2:{Targets.Port}/rhttps");
        Targets.Redirect("/redirect/name", 302, $"http://internal.test:{Targets.Port}/rname");
        Targets.Redirect("/redirect/decimal", 302, $"http://2130706434:{Targets.Port}/rdecimal");
        Fixture.Resolver.Map("internal.test", [LoopbackTargets.DeniedAlias]);
        var url = hostile.Url(Targets);
        if (hostile.HtmlFor is { } html)
        {
            url += name;
            Targets.Page($"/trick/{name}", $"<html><head><title>Trick</title></head><body>{html(Targets)}</body></html>");
        }

        List<JobAction> actions = [];
        if (hostile.Action is { } action)
        {
            actions.Add(action(Targets));
        }

        actions.Add(Settle);
        if (name == "iframe-file")
        {
            actions.Add(Jobs.Evaluate("leak", "(() => { try { return document.querySelector('iframe').contentDocument?.body?.innerText ?? 'none'; } catch (e) { return 'denied'; } })()"));
        }

        var job = Jobs.For(url, [.. actions]) with { Engine = Fixture.Engine, TimeoutMs = 20_000 };
        var refusedBefore = Fixture.Egress.RefusedCount;
        var outcome = await Fixture.Executor.ExecuteAsync(job, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));

        switch (hostile.Expect)
        {
            case Expect.Navigation:
                Assert.True(outcome.ErrorType == JobErrorTypes.UrlBlocked, $"{name}: {outcome.ErrorType} {outcome.ErrorMessage} (final {outcome.FinalUrl}, title {outcome.Title})");
                Assert.Contains("URL policy", outcome.ErrorMessage, StringComparison.Ordinal);
                Assert.Contains(Fixture.LogLines, l => l.Contains(job.JobId.ToString(), StringComparison.Ordinal) && l.Contains("URL policy", StringComparison.Ordinal));
                break;
            case Expect.Listed:
                Assert.True(outcome.Succeeded, $"{name}: {outcome.ErrorType} {outcome.ErrorMessage}");
                Assert.Equal("Trick", outcome.Title);
                Assert.Contains(outcome.BlockedRequests, b => b.Url.Contains(hostile.Listed!, StringComparison.Ordinal) && b.Reason.Length > 0);
                break;
            case Expect.Contained:
                Assert.True(outcome.Succeeded, $"{name}: {outcome.ErrorType} {outcome.ErrorMessage}");
                if (name == "iframe-file")
                {
                    Assert.DoesNotContain("root:", outcome.Extracted["leak"].GetString(), StringComparison.Ordinal);
                }
                else if (name is not ("window-open" or "webrtc-stun" or "webrtc-turn-tcp"))
                {
                    // It did leave the page, and the proxy refused it. (The executor closes a popup at once, and
                    // Firefox blocks window.open without a user gesture, so a popup may never ask at all.)
                    Assert.True(Fixture.Egress.RefusedCount > refusedBefore, $"{name}: the proxy refused nothing");
                }

                break;
        }

        Assert.Equal(0, Targets.DeniedConnections);
    }

    protected async Task AllowedAddressWorksThroughTheProxyAsync()
    {
        Targets.Page("/ok", "<html><head><title>OK</title></head><body>ok</body></html>");
        var proxied = Fixture.Egress.Requests;
        var served = Targets.AllowedConnections;

        var outcome = await Fixture.Executor.ExecuteAsync(
            Jobs.For($"{Targets.AllowedBase}/ok", Jobs.Screenshot()) with { Engine = Fixture.Engine }, CancellationToken.None);

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("OK", outcome.Title);
        Assert.Empty(outcome.BlockedRequests);
        // The browser reached 127.0.0.1 through the proxy, not directly: loopback is not bypassed.
        Assert.True(Fixture.Egress.Requests > proxied, "the browser did not go through the egress proxy");
        Assert.True(Targets.AllowedConnections > served);
        Assert.Equal(0, Targets.DeniedConnections);
    }

    protected async Task RebindingIsCaughtAsync()
    {
        // The first look-up says 127.0.0.1 (allowed), every later one 127.0.0.2: the page loads, its fetch does not.
        Fixture.Resolver.Map("rebind.test", [LoopbackTargets.Allowed], [LoopbackTargets.DeniedAlias]);
        Targets.Page("/rebind", "<html><head><title>Rebind</title></head><body><script>fetch('/secret').catch(() => {});</script></body></html>");

        var outcome = await Fixture.Executor.ExecuteAsync(
            Jobs.For($"http://rebind.test:{Targets.Port}/rebind", Settle) with { Engine = Fixture.Engine }, CancellationToken.None);

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("Rebind", outcome.Title);
        Assert.Contains(outcome.BlockedRequests, b => b.Url.Contains("rebind.test", StringComparison.Ordinal) && b.Reason.Contains("127.0.0.2", StringComparison.Ordinal));
        Assert.True(Fixture.Resolver.Lookups("rebind.test") >= 2);
        Assert.Equal(0, Targets.DeniedConnections);
    }
}

public sealed class ChromiumUrlPolicyTests(ChromiumPoolFixture fixture, LoopbackTargetsFixture targets)
    : UrlPolicyTests(fixture, targets), IClassFixture<ChromiumPoolFixture>, IClassFixture<LoopbackTargetsFixture>
{
    [Theory]
    [MemberData(nameof(AllCaseNames))]
    public Task Hostile_url_is_refused_and_no_denied_listener_is_reached(string name) => RefusedAsync(name);

    [Fact]
    public Task Allowed_loopback_address_works_through_the_proxy() => AllowedAddressWorksThroughTheProxyAsync();

    [Fact]
    public Task Dns_rebinding_is_caught_by_the_proxy() => RebindingIsCaughtAsync();
}

public sealed class FirefoxUrlPolicyTests(FirefoxPoolFixture fixture, LoopbackTargetsFixture targets)
    : UrlPolicyTests(fixture, targets), IClassFixture<FirefoxPoolFixture>, IClassFixture<LoopbackTargetsFixture>
{
    [Theory]
    [MemberData(nameof(FirefoxCaseNames))]
    public Task Hostile_url_is_refused_and_no_denied_listener_is_reached(string name) => RefusedAsync(name);

    [Fact]
    public Task Allowed_loopback_address_works_through_the_proxy() => AllowedAddressWorksThroughTheProxyAsync();

    [Fact]
    public Task Dns_rebinding_is_caught_by_the_proxy() => RebindingIsCaughtAsync();
}
