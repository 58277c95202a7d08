using System.Globalization;
using BrowserAutomation.Api.Webhooks;
using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting;
using BrowserAutomation.Networking;
using BrowserAutomation.Persistence;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Security;

/// <summary>
/// The `keys` verb of the API executable:
/// keys create --name NAME --owner OWNER --scopes submit,read [--rate-limit N --rate-window-ms MS --max-concurrent-jobs N]
/// [--webhook-url URL --webhook-events job.completed,job.failed] (prints the key and its webhook signing secret once),
/// keys list (never prints keys or hashes), keys revoke ID, keys rotate-webhook-secret ID.
/// </summary>
public static class KeysCommand
{
    public const string Usage =
        "usage: keys create --name NAME --owner OWNER --scopes submit,read,admin [--rate-limit N] [--rate-window-ms MS] [--max-concurrent-jobs N]\n"
        + "                   [--webhook-url URL] [--webhook-events job.completed,job.failed,job.cancelled,job.started]\n"
        + "       keys list\n"
        + "       keys revoke ID\n"
        + "       keys rotate-webhook-secret ID";

    /// <summary>Runs the verb against the configured database; returns the process exit code.</summary>
    public static async Task<int> RunAsync(WebApplicationBuilder builder, string[] args)
    {
        builder.Services.AddAutomationPersistence();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<ApiKeyStore>();
        builder.Services.AddJobSecrets();
        builder.Services.AddOptions<WebhookOptions>().BindSettings(WebhookOptions.SectionName);
        builder.Services.AddOptions<UrlPolicyOptions>().BindSettings(UrlPolicyOptions.SectionName);
        builder.Services.AddScoped<WebhookKeys>();
        builder.Services.AddLookupCache();
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        WebhookKeys? webhooks;
        try
        {
            webhooks = scope.ServiceProvider.GetRequiredService<WebhookKeys>();
        }
        catch (OptionsValidationException)
        {
            // Without SECRETS_ENCRYPTION_KEY keys still work; only webhook secrets cannot be stored.
            webhooks = null;
        }

        var policy = new UrlPolicy(scope.ServiceProvider.GetRequiredService<IOptions<UrlPolicyOptions>>().Value);
        return await RunAsync(scope.ServiceProvider.GetRequiredService<ApiKeyStore>(), args, Console.Out, Console.Error, webhooks, policy);
    }

    /// <summary>Runs the command; returns the process exit code (0 done, 1 not found, 2 usage).</summary>
    public static async Task<int> RunAsync(ApiKeyStore store, string[] args, TextWriter output, TextWriter error,
        WebhookKeys? webhooks = null, UrlPolicy? policy = null, CancellationToken cancellationToken = default)
    {
        switch (args)
        {
            case ["create", .. var options]:
                return await CreateAsync(store, options, output, error, webhooks, policy ?? UrlPolicy.Default, cancellationToken);
            case ["rotate-webhook-secret", var id] when Guid.TryParse(id, out var keyId) && webhooks is not null:
                if (!(await store.ListAsync(cancellationToken)).Any(k => k.Id == keyId))
                {
                    await error.WriteLineAsync($"No API key with id {keyId}.");
                    return 1;
                }

                await output.WriteLineAsync($"webhook secret: {await webhooks.RotateAsync(keyId.ToString(), cancellationToken)}");
                await output.WriteLineAsync("Store it now: it is not shown again; the previous secret no longer signs.");
                return 0;
            case ["list"]:
                var keys = await store.ListAsync(cancellationToken);
                await output.WriteLineAsync("id\tname\towner\tscopes\tprefix\tcreated\tlast_used\trevoked");
                foreach (var k in keys)
                {
                    await output.WriteLineAsync(string.Join('\t', k.Id, k.Name, k.Owner, string.Join(',', k.Scopes), k.Prefix + "…",
                        Time(k.CreatedAt), Time(k.LastUsedAt), Time(k.RevokedAt)));
                }

                return 0;
            case ["revoke", var id] when Guid.TryParse(id, out var keyId):
                if (await store.RevokeAsync(keyId, cancellationToken) is not { } revoked)
                {
                    await error.WriteLineAsync($"No API key with id {keyId}.");
                    return 1;
                }

                await output.WriteLineAsync($"revoked {revoked.Id} ({revoked.Name}, owner {revoked.Owner}) at {Time(revoked.RevokedAt)}");
                return 0;
            default:
                await error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<int> CreateAsync(ApiKeyStore store, string[] options, TextWriter output, TextWriter error,
        WebhookKeys? webhooks, UrlPolicy policy, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Length; i += 2)
        {
            if (!options[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= options.Length)
            {
                await error.WriteLineAsync(Usage);
                return 2;
            }

            values[options[i][2..]] = options[i + 1];
        }

        var problems = new List<string>();
        int? Number(string name)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            problems.Add($"--{name} is a whole number.");
            return null;
        }

        var unknown = values.Keys.Except(["name", "owner", "scopes", "rate-limit", "rate-window-ms", "max-concurrent-jobs", "webhook-url", "webhook-events"])
            .ToList();
        problems.AddRange(unknown.Select(u => $"unknown option --{u}."));
        var spec = new ApiKeySpec(values.GetValueOrDefault("name", ""), values.GetValueOrDefault("owner", ""),
            Scopes.Parse(values.GetValueOrDefault("scopes")) ?? [], Number("rate-limit"), Number("rate-window-ms"), Number("max-concurrent-jobs"));
        problems.AddRange(spec.Validate().SelectMany(e => e.Value));
        (string Url, List<string> Events)? webhook = null;
        if (values.TryGetValue("webhook-url", out var webhookUrl) || values.ContainsKey("webhook-events"))
        {
            var webhookErrors = new Dictionary<string, string[]>();
            webhook = WebhookTargets.Validate(new WebhookSubscription
            {
                Url = webhookUrl,
                Events = values.TryGetValue("webhook-events", out var events) ? events.Split(',', StringSplitOptions.TrimEntries) : null,
            }, policy, "webhook", webhookErrors);
            problems.AddRange(webhookErrors.SelectMany(e => e.Value.Select(m => $"--{e.Key.Replace('.', '-')}: {m}")));
            if (webhooks is null)
            {
                problems.Add("--webhook-url needs SECRETS_ENCRYPTION_KEY: the webhook signing secret is stored encrypted with it.");
            }
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync(problem);
            }

            await error.WriteLineAsync(Usage);
            return 2;
        }

        var id = MassTransit.NewId.NextSequentialGuid();
        var webhookSecret = webhooks?.Stage(id.ToString(), webhook?.Url, webhook?.Events);
        var (key, secret) = await store.CreateAsync(spec, cancellationToken, id);
        await output.WriteLineAsync($"id: {key.Id}");
        await output.WriteLineAsync($"name: {key.Name}");
        await output.WriteLineAsync($"owner: {key.Owner}");
        await output.WriteLineAsync($"scopes: {string.Join(',', key.Scopes)}");
        await output.WriteLineAsync($"key: {secret}");
        if (webhookSecret is not null)
        {
            await output.WriteLineAsync($"webhook secret: {webhookSecret}");
        }

        if (webhook is { } w)
        {
            await output.WriteLineAsync($"default webhook: {w.Url} ({string.Join(',', w.Events)})");
        }

        await output.WriteLineAsync("Store the key now: it is not shown again (only its hash is kept).");
        return 0;
    }

    private static string Time(DateTime? value) => value?.ToString("u", CultureInfo.InvariantCulture) ?? "-";
}
