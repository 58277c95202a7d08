using BrowserAutomation.Persistence.Jobs;
using BrowserAutomation.Persistence.Webhooks;

namespace BrowserAutomation.Api.Jobs;

/// <summary>A validated job ready to be stored: its row, its webhook, and the earlier job a result-cache answer copies.</summary>
public sealed record PreparedJob(AutomationJob Job, JobWebhook? Webhook, AutomationJob? Original);
