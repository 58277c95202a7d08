using Microsoft.Extensions.Configuration;

namespace BrowserAutomation.Persistence.Configuration;

/// <summary>
/// The one table of the deployment's flat environment variables (DB_HOST, RABBITMQ_PORT, ...) and the options keys
/// they set, so that both "Database__Host" and "DB_HOST" work (sectioned keys win when both are present), and so that
/// a bad value is reported under the variable's name (<see cref="SettingsValidator{TOptions}"/>). The browser
/// variables of the worker's pool (BROWSER_*, PLAYWRIGHT_*, *_EXECUTABLE_PATH) are read by the Automation library itself.
/// </summary>
public static class EnvironmentMapping
{
    private static readonly (string Variable, string Key)[] Map =
    [
        ("DB_HOST", "Database:Host"),
        ("DB_PORT", "Database:Port"),
        ("DB_USERNAME", "Database:Username"),
        ("DB_PASSWORD", "Database:Password"),
        ("DB_DATABASE", "Database:Database"),
        ("RABBITMQ_HOST", "RabbitMq:Host"),
        ("RABBITMQ_PORT", "RabbitMq:Port"),
        ("RABBITMQ_VHOST", "RabbitMq:VirtualHost"),
        ("RABBITMQ_USERNAME", "RabbitMq:Username"),
        ("RABBITMQ_PASSWORD", "RabbitMq:Password"),
        ("OUTBOX_POLL_INTERVAL_MS", "Outbox:PollIntervalMs"),
        ("DEFAULT_JOB_TIMEOUT_MS", "Jobs:DefaultTimeoutMs"),
        ("MAX_JOB_TIMEOUT_MS", "Jobs:MaxTimeoutMs"),
        ("MAX_ACTIONS_PER_JOB", "Jobs:MaxActionsPerJob"),
        ("MAX_JOB_RETRIES", "Jobs:MaxRetries"),
        ("JOB_RETRY_BASE_DELAY_MS", "Jobs:RetryBaseDelayMs"),
        ("JOB_RETRY_MAX_DELAY_MS", "Jobs:RetryMaxDelayMs"),
        ("JOB_ATTEMPT_GRACE_MS", "Jobs:AttemptGraceMs"),
        ("WORKER_MAX_CONCURRENT_JOBS", "Worker:MaxConcurrentJobs"),
        ("WORKER_ENGINES", "Worker:Engines"),
        ("WORKER_HEARTBEAT_INTERVAL_MS", "Worker:HeartbeatIntervalMs"),
        ("WORKER_STALE_AFTER_MS", "Workers:StaleAfterMs"),
        ("EVALUATE_ENABLED", "Jobs:EvaluateEnabled"),
        ("URL_ALLOWED_HOSTS", "UrlPolicy:AllowedHosts"),
        ("URL_DENIED_HOSTS", "UrlPolicy:DeniedHosts"),
        ("URL_ALLOWED_NETWORKS", "UrlPolicy:AllowedNetworks"),
        ("URL_DENIED_NETWORKS", "UrlPolicy:DeniedNetworks"),
        ("REQUEST_MAX_BODY_BYTES", "Kestrel:Limits:MaxRequestBodySize"),
        ("SECRETS_ENCRYPTION_KEY", "Secrets:EncryptionKey"),
        ("SECRETS_PREVIOUS_KEYS", "Secrets:PreviousKeys"),
        ("API_KEY_HEADER", "Auth:HeaderName"),
        ("API_BOOTSTRAP_ADMIN_KEY", "Auth:BootstrapAdminKey"),
        ("AUTH_DISABLED", "Auth:Disabled"),
        ("RATE_LIMIT_MAX", "RateLimit:Max"),
        ("RATE_LIMIT_WINDOW_MS", "RateLimit:WindowMs"),
        ("MAX_CONCURRENT_JOBS_PER_KEY", "Limits:MaxConcurrentJobsPerKey"),
        ("QUEUE_MAX_DEPTH_PER_ENGINE", "Limits:QueueMaxDepthPerEngine"),
    ];

    private static readonly Dictionary<string, string> VariableByKey =
        Map.ToDictionary(static m => m.Key, static m => m.Variable, StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds an in-memory layer translating the seed variables that are set.</summary>
    public static IConfigurationBuilder AddSeedEnvironmentVariables(this IConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in Map)
        {
            var value = configuration[variable];
            if (!string.IsNullOrEmpty(value) && string.IsNullOrEmpty(configuration[key]))
            {
                values[key] = value;
            }
        }

        return configuration.AddInMemoryCollection(values);
    }

    /// <summary>The variable that sets an options key (WORKER_MAX_CONCURRENT_JOBS for Worker:MaxConcurrentJobs), if any.</summary>
    public static string? VariableFor(string key) => VariableByKey.GetValueOrDefault(key);

    /// <summary>
    /// How a setting is named in messages: "WORKER_MAX_CONCURRENT_JOBS (Worker:MaxConcurrentJobs)", or the key alone when
    /// no variable sets it.
    /// </summary>
    public static string DisplayName(string key) => VariableFor(key) is { } variable ? $"{variable} ({key})" : key;
}
