using System.Diagnostics.Metrics;
using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.Api.Webhooks;

/// <summary>The webhook instruments on the service's meter.</summary>
public static class WebhookMetrics
{
    /// <summary>Attempts by event and outcome (delivered, retry, dead).</summary>
    public static readonly Counter<long> Attempts = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.webhook.attempts", unit: "{attempt}", description: "Webhook delivery attempts, by event and outcome (delivered, retry, dead).");

    /// <summary>Deliveries that reached an end, by event and outcome (delivered, dead).</summary>
    public static readonly Counter<long> Deliveries = AutomationTelemetry.Meter.CreateCounter<long>(
        "browser_automation.webhook.deliveries", unit: "{delivery}", description: "Webhook deliveries that ended, by event and outcome (delivered, dead).");

    /// <summary>How long one attempt took, connecting included.</summary>
    public static readonly Histogram<double> AttemptDuration = AutomationTelemetry.Meter.CreateHistogram<double>(
        "browser_automation.webhook.attempt.duration", unit: "s", description: "Duration of one webhook delivery attempt, by event and outcome.");

    /// <summary>From the event to its successful delivery, retries included.</summary>
    public static readonly Histogram<double> DeliveryLatency = AutomationTelemetry.Meter.CreateHistogram<double>(
        "browser_automation.webhook.delivery.latency", unit: "s", description: "Time from a job event to its delivered webhook, retries included.");
}
