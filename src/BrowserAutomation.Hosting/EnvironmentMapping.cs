using Microsoft.Extensions.Configuration;

namespace BrowserAutomation.Hosting;

/// <summary>
/// The one table of the deployment's environment variables (DB_HOST, BROWSER_POOL_MAX_SIZE, URL_ALLOWED_HOSTS, ...) and
/// the options keys they set, read by every host and library through <see cref="SettingsBinder"/>, so that both
/// "Database__Host" and "DB_HOST" work and a bad value is reported under the variable's name
/// (<see cref="SettingsValidator{TOptions}"/>). Precedence is kept per row as it always was: the browser pool's
/// variables win over the "Browser" section, the URL lists take both, and elsewhere the sectioned key wins.
/// </summary>
public static class EnvironmentMapping
{
    private static readonly EnvironmentVariable[] Table =
    [
        Section("DB_HOST", "Database:Host"),
        Section("DB_PORT", "Database:Port"),
        Section("DB_USERNAME", "Database:Username"),
        Section("DB_PASSWORD", "Database:Password"),
        Section("DB_DATABASE", "Database:Database"),
        Section("DB_MAX_AUTO_PREPARE", "Database:MaxAutoPrepare"),
        Section("RABBITMQ_HOST", "RabbitMq:Host"),
        Section("RABBITMQ_PORT", "RabbitMq:Port"),
        Section("RABBITMQ_VHOST", "RabbitMq:VirtualHost"),
        Section("RABBITMQ_USERNAME", "RabbitMq:Username"),
        Section("RABBITMQ_PASSWORD", "RabbitMq:Password"),
        Section("OUTBOX_POLL_INTERVAL_MS", "Outbox:PollIntervalMs"),
        Section("OUTBOX_HANDOFF_LEASE_MS", "Outbox:HandOffLeaseMs"),
        Section("DEFAULT_JOB_TIMEOUT_MS", "Jobs:DefaultTimeoutMs"),
        Section("MAX_JOB_TIMEOUT_MS", "Jobs:MaxTimeoutMs"),
        Section("MAX_ACTIONS_PER_JOB", "Jobs:MaxActionsPerJob"),
        Section("MAX_JOB_RETRIES", "Jobs:MaxRetries"),
        Section("JOB_RETRY_BASE_DELAY_MS", "Jobs:RetryBaseDelayMs"),
        Section("JOB_RETRY_MAX_DELAY_MS", "Jobs:RetryMaxDelayMs"),
        Section("JOB_ATTEMPT_GRACE_MS", "Jobs:AttemptGraceMs"),
        Section("EVALUATE_ENABLED", "Jobs:EvaluateEnabled"),
        Section("WORKER_MAX_CONCURRENT_JOBS", "Worker:MaxConcurrentJobs"),
        Section("WORKER_ENGINES", "Worker:Engines"),
        Section("WORKER_HEARTBEAT_INTERVAL_MS", "Worker:HeartbeatIntervalMs"),
        Section("WORKER_STALE_AFTER_MS", "Workers:StaleAfterMs"),
        Section("WORKER_HTTP_PORT", "Worker:HttpPort"),
        Variable("CHROMIUM_EXECUTABLE_PATH", "Browser:ChromiumExecutablePath"),
        Variable("FIREFOX_EXECUTABLE_PATH", "Browser:FirefoxExecutablePath"),
        Variable("BROWSER_USE_BUNDLED", "Browser:UseBundledBrowsers"),
        Variable("PLAYWRIGHT_HEADLESS", "Browser:Headless"),
        new("WORKER_ENGINES", "Browser:Engines", SettingPrecedence.VariableWins, IsList: true),
        Variable("BROWSER_POOL_MIN_SIZE", "Browser:MinBrowsers"),
        Variable("BROWSER_POOL_MAX_SIZE", "Browser:MaxBrowsers"),
        Variable("BROWSER_MAX_CONTEXTS_PER_BROWSER", "Browser:ContextsPerBrowser"),
        Variable("BROWSER_MAX_PAGES_PER_BROWSER", "Browser:MaxPagesPerBrowser"),
        Variable("BROWSER_IDLE_TIMEOUT_MS", "Browser:IdleTimeoutMs"),
        Variable("BROWSER_TARGET_TIMEOUT_MS", "Browser:TargetTimeoutMs"),
        Variable("PLAYWRIGHT_DRIVER_MAX_HEAP_MB", "Browser:DriverMaxHeapMb"),
        Variable("MAX_ARTIFACT_SIZE_MB", "Browser:MaxArtifactSizeMb"),
        Variable("MAX_JOB_ARTIFACTS_SIZE_MB", "Browser:MaxJobArtifactsSizeMb"),
        Variable("EVALUATE_ENABLED", "Browser:EvaluateEnabled"),
        List("URL_ALLOWED_HOSTS", "UrlPolicy:AllowedHosts"),
        List("URL_DENIED_HOSTS", "UrlPolicy:DeniedHosts"),
        List("URL_ALLOWED_NETWORKS", "UrlPolicy:AllowedNetworks"),
        List("URL_DENIED_NETWORKS", "UrlPolicy:DeniedNetworks"),
        Section("REQUEST_MAX_BODY_BYTES", "Kestrel:Limits:MaxRequestBodySize"),
        Section("SECRETS_ENCRYPTION_KEY", "Secrets:EncryptionKey"),
        Section("SECRETS_PREVIOUS_KEYS", "Secrets:PreviousKeys"),
        Section("API_KEY_HEADER", "Auth:HeaderName"),
        Section("API_BOOTSTRAP_ADMIN_KEY", "Auth:BootstrapAdminKey"),
        Section("AUTH_DISABLED", "Auth:Disabled"),
        Section("RATE_LIMIT_MAX", "RateLimit:Max"),
        Section("RATE_LIMIT_WINDOW_MS", "RateLimit:WindowMs"),
        Section("MAX_CONCURRENT_JOBS_PER_KEY", "Limits:MaxConcurrentJobsPerKey"),
        Section("QUEUE_MAX_DEPTH_PER_ENGINE", "Limits:QueueMaxDepthPerEngine"),
        // Tracing: the OpenTelemetry SDK's own variable names.
        Section("OTEL_EXPORTER_OTLP_ENDPOINT", "Tracing:OtlpEndpoint"),
        Section("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "Tracing:OtlpTracesEndpoint"),
        Section("OTEL_EXPORTER_OTLP_PROTOCOL", "Tracing:OtlpProtocol"),
        Section("OTEL_SERVICE_NAME", "Tracing:ServiceName"),
        Section("OTEL_TRACES_SAMPLER", "Tracing:Sampler"),
        Section("OTEL_TRACES_SAMPLER_ARG", "Tracing:SamplerArg"),
        Section("TRACE_DATABASE_COMMANDS", "Tracing:DatabaseCommands"),
        // Webhooks
        Section("WEBHOOK_MAX_AGE_MS", "Webhooks:MaxAgeMs"),
        Section("WEBHOOK_TIMEOUT_MS", "Webhooks:TimeoutMs"),
        Section("WEBHOOK_RETRY_BASE_DELAY_MS", "Webhooks:RetryBaseDelayMs"),
        Section("WEBHOOK_RETRY_MAX_DELAY_MS", "Webhooks:RetryMaxDelayMs"),
        Section("WEBHOOK_POLL_INTERVAL_MS", "Webhooks:PollIntervalMs"),
        Section("WEBHOOK_DISPATCHER_ENABLED", "Webhooks:DispatcherEnabled"),
        Section("WEBHOOK_BUS_SIGNING_SECRET", "Webhooks:BusSigningSecret"),
        // Logs: the console format (text or json) and the default level.
        Section("LOG_FORMAT", "Logging:Format"),
        Section("LOG_LEVEL", "Logging:LogLevel:Default"),
        // Metrics (/metrics, Prometheus text format)
        Section("ENABLE_METRICS", "Metrics:Enabled"),
        Section("METRICS_PORT", "Metrics:Port"),
        // Live status streams (SSE resume, WebSocket)
        Section("JOB_EVENTS_RETENTION_HOURS", "LiveStatus:EventRetentionHours"),
        Section("WS_KEEPALIVE_SECONDS", "LiveStatus:WebSocketKeepAliveSeconds"),
        Section("WS_AUTH_TIMEOUT_SECONDS", "LiveStatus:WebSocketAuthTimeoutSeconds"),
        // Reads' own rate budget, and the API's cache of API keys and browser types.
        Section("READ_RATE_LIMIT_MAX", "RateLimit:ReadMax"),
        Section("READ_RATE_LIMIT_WINDOW_MS", "RateLimit:ReadWindowMs"),
        Section("LOOKUP_CACHE_MAX_AGE_MS", "LookupCache:MaxAgeMs"),
        // Control plane: the simulated engine for benchmarking.
        Section("SIMULATED_ENGINE_ENABLED", "SimulatedEngine:Enabled"),
        Section("SIMULATED_ENGINE_DELAY_MS", "SimulatedEngine:DelayMs"),
        // Admission, drain and deadlines.
        Section("SERVED_ENGINES", "Admission:ServedEngines"),
        Section("WORKER_DRAIN_TIMEOUT_MS", "Worker:DrainTimeoutMs"),
        // Pre-warmed browser contexts (worker)
        Variable("WORKER_PREWARM_CONTEXTS", "Browser:PrewarmContexts"),
        // Artifact storage and retention
        Section("ARTIFACT_STORAGE_TYPE", "Artifacts:StorageType"),
        Section("ARTIFACT_STORAGE_PATH", "Artifacts:StoragePath"),
        Section("S3_ENDPOINT", "Artifacts:S3Endpoint"),
        Section("S3_REGION", "Artifacts:S3Region"),
        Section("S3_BUCKET", "Artifacts:S3Bucket"),
        Section("S3_ACCESS_KEY_ID", "Artifacts:S3AccessKeyId"),
        Section("S3_SECRET_ACCESS_KEY", "Artifacts:S3SecretAccessKey"),
        Section("S3_FORCE_PATH_STYLE", "Artifacts:S3ForcePathStyle"),
        Section("ARTIFACT_DOWNLOAD_REDIRECT", "Artifacts:DownloadRedirect"),
        Section("ARTIFACT_PRESIGN_TTL_SECONDS", "Artifacts:PresignTtlSeconds"),
        Section("ARTIFACT_ORPHAN_AFTER_MINUTES", "Artifacts:OrphanAfterMinutes"),
        Section("JOB_CLEANUP_AFTER_DAYS", "Retention:JobCleanupAfterDays"),
        Section("RETENTION_INTERVAL_MS", "Retention:IntervalMs"),
        Section("RETENTION_BATCH_SIZE", "Retention:BatchSize"),
        Section("INBOX_RETENTION_HOURS", "Retention:InboxRetentionHours"),
        Section("OFFLINE_WORKER_RETENTION_DAYS", "Retention:OfflineWorkerRetentionDays"),
    ];

    private static readonly Dictionary<string, EnvironmentVariable> ByKey =
        Table.ToDictionary(static v => v.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every row of the table, in the order above.</summary>
    public static IReadOnlyList<EnvironmentVariable> Variables => Table;

    /// <summary>
    /// Adds an in-memory layer holding what each set variable resolves to, for code that reads configuration keys
    /// directly; options bound with <see cref="SettingsOptionsBuilderExtensions.BindSettings{TOptions}(Microsoft.Extensions.Options.OptionsBuilder{TOptions}, string)"/>
    /// resolve the variables themselves and need no layer.
    /// </summary>
    public static IConfigurationBuilder AddEnvironmentVariableMapping(this IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in Table.Where(v => !string.IsNullOrEmpty(configuration[v.Name])))
        {
            if (!variable.IsList)
            {
                values[variable.Key] = Read(configuration, variable.Key);
                continue;
            }

            var entries = ReadList(configuration, variable.Key);
            for (var i = 0; i < entries.Count; i++)
            {
                values[$"{variable.Key}:{i}"] = entries[i];
            }
        }

        return configuration.AddInMemoryCollection(values);
    }

    /// <summary>The value of an options key after its variable is applied, with the row's precedence.</summary>
    public static string? Read(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration[key];
        if (!ByKey.TryGetValue(key, out var variable) || configuration[variable.Name] is not { Length: > 0 } value)
        {
            return section;
        }

        return variable.Precedence == SettingPrecedence.VariableWins || string.IsNullOrEmpty(section) ? value : section;
    }

    /// <summary>
    /// The entries of a list key: its children (<c>Key:0</c>, <c>Key:1</c>, ...) and the key's own value, each split at
    /// commas so a flat string and a JSON array both work, combined with the variable's entries by the row's precedence.
    /// </summary>
    public static IReadOnlyList<string> ReadList(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(key);
        var fromSection = Split([.. section.GetChildren().Select(static c => c.Value), section.Value]);
        if (!ByKey.TryGetValue(key, out var variable))
        {
            return fromSection;
        }

        var fromVariable = Split([configuration[variable.Name]]);
        return variable.Precedence switch
        {
            SettingPrecedence.Merged => [.. fromSection.Concat(fromVariable).Distinct(StringComparer.OrdinalIgnoreCase)],
            SettingPrecedence.VariableWins => fromVariable.Count > 0 ? fromVariable : fromSection,
            _ => fromSection.Count > 0 ? fromSection : fromVariable,
        };
    }

    /// <summary>The variable that sets an options key (WORKER_MAX_CONCURRENT_JOBS for Worker:MaxConcurrentJobs), if any.</summary>
    public static string? VariableFor(string key) => ByKey.GetValueOrDefault(key)?.Name;

    /// <summary>
    /// How a setting is named in messages: "WORKER_MAX_CONCURRENT_JOBS (Worker:MaxConcurrentJobs)", or the key alone when
    /// no variable sets it.
    /// </summary>
    public static string DisplayName(string key) => VariableFor(key) is { } variable ? $"{variable} ({key})" : key;

    private static List<string> Split(IEnumerable<string?> entries) =>
        [.. entries.SelectMany(static e => (e ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    private static EnvironmentVariable Section(string name, string key) => new(name, key, SettingPrecedence.SectionWins);

    private static EnvironmentVariable Variable(string name, string key) => new(name, key, SettingPrecedence.VariableWins);

    private static EnvironmentVariable List(string name, string key) => new(name, key, SettingPrecedence.Merged, IsList: true);
}
