using System.Net;
using BrowserAutomation.Api.Webhooks;
using BrowserAutomation.IntegrationTests.Support;
using BrowserAutomation.Networking;
using BrowserAutomation.Persistence.Webhooks;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.IntegrationTests.Webhooks;

/// <summary>
/// The delivery-time check, with the test resolver: a receiver name is resolved when the delivery is made, and an
/// answer in a denied range (127.0.0.2 here; only 127.0.0.1 is allowed) is refused before any socket is opened,
/// including a name that answered an allowed address the time before (DNS rebinding).
/// </summary>
public sealed class WebhookDeliveryPolicyTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private readonly TestHostResolver _resolver = new();
    private LoopbackTargets _targets = null!;
    private WebhookSender _sender = null!;

    public async Task InitializeAsync()
    {
        _targets = await LoopbackTargets.StartAsync();
        _targets.Page("/hook", "ok");
        var policy = new UrlPolicy(new UrlPolicyOptions { AllowedNetworks = ["127.0.0.1/32"] });
        _sender = new WebhookSender(policy, _resolver, Options.Create(new WebhookOptions { TimeoutMs = 5000 }));
    }

    public async Task DisposeAsync() => await _targets.DisposeAsync();

    public void Dispose() => _sender?.Dispose();

    [Fact]
    public async Task A_name_resolving_to_a_denied_alias_is_refused_without_a_connection()
    {
        _resolver.Map("hooks-denied.test", [LoopbackTargets.DeniedAlias]);

        var attempt = await _sender.SendAsync(Delivery($"http://hooks-denied.test:{_targets.Port}/hook"), Secret, CancellationToken.None);

        Assert.True(attempt.Final, attempt.Error);
        Assert.Null(attempt.StatusCode);
        Assert.Equal("dead", attempt.Outcome);
        Assert.StartsWith("url_blocked: ", attempt.Error, StringComparison.Ordinal);
        Assert.Contains("127.0.0.2", attempt.Error, StringComparison.Ordinal);
        Assert.Equal(1, _resolver.Lookups("hooks-denied.test"));
        Assert.Equal(0, _targets.DeniedConnections);
    }

    [Fact]
    public async Task A_name_that_rebinds_to_a_denied_alias_is_delivered_first_and_refused_after()
    {
        _resolver.Map("hooks-rebind.test", [IPAddress.Loopback], [LoopbackTargets.DeniedAlias]);
        var url = $"http://hooks-rebind.test:{_targets.Port}/hook";

        var first = await _sender.SendAsync(Delivery(url), Secret, CancellationToken.None);
        var second = await _sender.SendAsync(Delivery(url), Secret, CancellationToken.None);

        Assert.True(first.Delivered, first.Error);
        Assert.True(second.Final, second.Error);
        Assert.Contains("127.0.0.2", second.Error, StringComparison.Ordinal);
        Assert.Equal(1, _targets.AllowedConnections);
        Assert.Equal(0, _targets.DeniedConnections);
    }

    [Fact]
    public async Task A_literal_denied_address_is_refused_before_resolving()
    {
        var attempt = await _sender.SendAsync(Delivery($"http://[::1]:{_targets.Port}/hook"), Secret, CancellationToken.None);

        Assert.True(attempt.Final, attempt.Error);
        Assert.StartsWith("url_blocked: ", attempt.Error, StringComparison.Ordinal);
        Assert.Equal(0, _targets.DeniedConnections);
    }

    private static WebhookDelivery Delivery(string url) => new()
    {
        Id = Guid.NewGuid(),
        JobId = Guid.NewGuid(),
        EventType = WebhookEvents.Completed,
        Url = url,
        SignerId = "test",
        Body = """{"type":"job.completed"}""",
    };
}
