using BrowserAutomation.Api.Security;
using BrowserAutomation.Contracts;
using BrowserAutomation.Networking;
using BrowserAutomation.Persistence.Webhooks;

namespace BrowserAutomation.Api.Webhooks;

/// <summary>
/// Decides a job's webhook at submission: the one the job names, else its key's default; checks the URL against the
/// URL policy (a refused receiver is a 400 url_blocked, like a refused job URL) and that the signer has a secret.
/// </summary>
public sealed class WebhookTargets(WebhookKeys keys, UrlPolicy policy)
{
    public const int MaxUrlLength = 2048;

    /// <summary>The signer of a REST caller's jobs: its key (one signer for every request when authentication is off).</summary>
    public static string SignerFor(Caller caller) =>
        caller.KeyId.StartsWith("auth-disabled@", StringComparison.Ordinal) ? "auth-disabled" : caller.KeyId;

    /// <summary>The job's webhook (JobId not yet set), or null; problems are added to <paramref name="errors"/>.</summary>
    public async Task<JobWebhook?> ForJobAsync(WebhookSubscription? requested, string signerId, Dictionary<string, string[]> errors,
        CancellationToken cancellationToken)
    {
        if (requested is null)
        {
            var key = signerId == WebhookKey.BusSigner ? null : await keys.FindAsync(signerId, cancellationToken);
            return key is { DefaultUrl: { } url, Secret: not null }
                ? new JobWebhook { Url = url, Events = key.DefaultEvents ?? [.. WebhookEvents.Default], SignerId = signerId }
                : null;
        }

        var checkedWebhook = Validate(requested, policy, "webhook", errors);
        if (checkedWebhook is null)
        {
            return null;
        }

        if (!await keys.HasSecretAsync(signerId, cancellationToken))
        {
            errors["webhook"] = [signerId == WebhookKey.BusSigner
                ? "Bus jobs' webhooks are signed with WEBHOOK_BUS_SIGNING_SECRET, which this deployment does not set."
                : "This API key has no webhook signing secret yet: create one with POST /api/v1/webhook-secret (it is shown once)."];
            return null;
        }

        return new JobWebhook { Url = checkedWebhook.Value.Url, Events = checkedWebhook.Value.Events, SignerId = signerId };
    }

    /// <summary>The subscription's URL and events (defaulted, deduplicated), or null with errors under <paramref name="path"/>.</summary>
    public static (string Url, List<string> Events)? Validate(WebhookSubscription subscription, UrlPolicy policy, string path,
        Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(policy);
        var valid = true;
        var url = subscription.Url?.Trim();
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            errors[$"{path}.url"] = [$"url is required: an absolute http or https URL of at most {MaxUrlLength} characters."];
            valid = false;
        }
        else if (policy.CheckUrl(url) is { Allowed: false } refused)
        {
            errors[$"{path}.url"] = [$"url_blocked: {refused.Reason} (URL policy; see URL_ALLOWED_NETWORKS, URL_ALLOWED_HOSTS)."];
            valid = false;
        }

        var events = new List<string>();
        foreach (var name in subscription.Events ?? WebhookEvents.Default)
        {
            var known = WebhookEvents.All.FirstOrDefault(e => string.Equals(e, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                errors[$"{path}.events"] = [$"'{name}' is not an event; events are: {string.Join(", ", WebhookEvents.All)}."];
                valid = false;
            }
            else if (!events.Contains(known))
            {
                events.Add(known);
            }
        }

        if (subscription.Events is { Count: 0 })
        {
            errors[$"{path}.events"] = ["events must name at least one event (leave it out for the three final events)."];
            valid = false;
        }

        return valid ? (url!, events) : null;
    }
}
