using BrowserAutomation.IntegrationTests.Support;

namespace BrowserAutomation.IntegrationTests.Webhooks;

/// <summary>A stack of its own whose webhook retries come after a few hundred milliseconds instead of seconds.</summary>
public sealed class WebhookStackFixture : StackFixture
{
    /// <summary>WEBHOOK_BUS_SIGNING_SECRET of this stack: signs the webhooks of bus-submitted jobs.</summary>
    public static readonly string BusSecret = BrowserAutomation.Api.Webhooks.WebhookSignature.GenerateSecret();

    protected override IReadOnlyDictionary<string, string> StackSettings { get; } = new Dictionary<string, string>
    {
        ["WEBHOOK_RETRY_BASE_DELAY_MS"] = "200",
        ["WEBHOOK_RETRY_MAX_DELAY_MS"] = "1000",
        ["WEBHOOK_POLL_INTERVAL_MS"] = "200",
        ["WEBHOOK_TIMEOUT_MS"] = "5000",
        ["WEBHOOK_BUS_SIGNING_SECRET"] = BusSecret,
    };
}

[CollectionDefinition(Name)]
public sealed class WebhookStackDefinition : ICollectionFixture<WebhookStackFixture>
{
    public const string Name = "webhook-stack";
}
