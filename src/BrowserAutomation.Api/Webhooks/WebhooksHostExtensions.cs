using BrowserAutomation.Hosting;
using BrowserAutomation.Networking;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BrowserAutomation.Api.Webhooks;

public static class WebhooksHostExtensions
{
    /// <summary>
    /// Signed webhooks (WEBHOOK_* settings): secrets and default webhooks per key, the submission-time check, and the
    /// dispatcher that delivers through the URL policy with retries.
    /// </summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindSettings(WebhookOptions.SectionName);
        builder.Services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<WebhookKeys>();
        builder.Services.AddScoped<WebhookTargets>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(static sp => sp.GetRequiredService<WebhookDispatcher>());
        return builder;
    }
}
