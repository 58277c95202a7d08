using BrowserAutomation.Api.Webhooks;
using BrowserAutomation.Contracts;
using BrowserAutomation.Networking;

namespace BrowserAutomation.UnitTests.Api.Webhooks;

public sealed class WebhookTargetsTests
{
    private static readonly UrlPolicy Policy = new(new UrlPolicyOptions { AllowedNetworks = ["127.0.0.1/32"] });

    [Fact]
    public void Without_events_a_webhook_gets_every_final_event()
    {
        var errors = new Dictionary<string, string[]>();
        var webhook = WebhookTargets.Validate(new WebhookSubscription { Url = "https://hooks.example.com/in" }, Policy, "webhook", errors);

        Assert.Empty(errors);
        Assert.Equal("https://hooks.example.com/in", webhook!.Value.Url);
        Assert.Equal(["job.completed", "job.failed", "job.cancelled", "job.expired"], webhook.Value.Events);
    }

    [Fact]
    public void Events_are_matched_ignoring_case_and_deduplicated()
    {
        var errors = new Dictionary<string, string[]>();
        var webhook = WebhookTargets.Validate(new WebhookSubscription { Url = "http://127.0.0.1:9/in", Events = ["Job.Started", "job.started", "job.failed"] },
            Policy, "webhook", errors);

        Assert.Empty(errors);
        Assert.Equal(["job.started", "job.failed"], webhook!.Value.Events);
    }

    [Theory]
    [InlineData("http://127.0.0.2:8080/in")]
    [InlineData("http://[::1]:8080/in")]
    [InlineData("http://2130706434/in")]
    [InlineData("http://169.254.169.254/latest")]
    [InlineData("http://user:pass@hooks.example.com/in")]
    public void A_target_the_url_policy_denies_is_url_blocked(string url)
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(WebhookTargets.Validate(new WebhookSubscription { Url = url }, Policy, "webhook", errors));

        Assert.StartsWith("url_blocked: ", Assert.Single(errors["webhook.url"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/relative")]
    [InlineData("ftp://hooks.example.com/in")]
    public void A_missing_or_non_http_url_is_a_field_error(string? url)
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(WebhookTargets.Validate(new WebhookSubscription { Url = url }, Policy, "webhook", errors));

        Assert.Contains("absolute http or https", Assert.Single(errors["webhook.url"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_and_empty_event_lists_are_field_errors()
    {
        var unknown = new Dictionary<string, string[]>();
        WebhookTargets.Validate(new WebhookSubscription { Url = "https://hooks.example.com/", Events = ["job.done"] }, Policy, "webhook", unknown);
        var empty = new Dictionary<string, string[]>();
        WebhookTargets.Validate(new WebhookSubscription { Url = "https://hooks.example.com/", Events = [] }, Policy, "webhook", empty);

        Assert.Contains("'job.done' is not an event", Assert.Single(unknown["webhook.events"]), StringComparison.Ordinal);
        Assert.Contains("at least one event", Assert.Single(empty["webhook.events"]), StringComparison.Ordinal);
    }
}
