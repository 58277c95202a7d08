using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// Tracing settings, named as the OpenTelemetry SDK names them (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL,
/// OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER ...). Spans are exported over OTLP only when an endpoint is set; without one
/// every span still has its trace and span ids (for logs and the job's traceId) but nothing is recorded.
/// </summary>
public sealed class TracingOptions : IValidatableObject
{
    public const string SectionName = "Tracing";

    public const string Grpc = "grpc";

    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The samplers the OpenTelemetry SDK knows by name (OTEL_TRACES_SAMPLER).</summary>
    public static readonly IReadOnlyList<string> Samplers =
    [
        "always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio",
    ];

    /// <summary>Base URL of the OTLP receiver (OTEL_EXPORTER_OTLP_ENDPOINT); /v1/traces is appended for http/protobuf.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Full URL for traces alone (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), used as given; wins over the base URL.</summary>
    public string? OtlpTracesEndpoint { get; set; }

    /// <summary>grpc (the .NET SDK's default) or http/protobuf (OTEL_EXPORTER_OTLP_PROTOCOL).</summary>
    public string OtlpProtocol { get; set; } = Grpc;

    /// <summary>Overrides the host's service name (OTEL_SERVICE_NAME).</summary>
    [MaxLength(200)]
    public string? ServiceName { get; set; }

    /// <summary>One of <see cref="Samplers"/> (OTEL_TRACES_SAMPLER); the SDK's default is parentbased_always_on.</summary>
    public string? Sampler { get; set; }

    /// <summary>The ratio of the traceidratio samplers (OTEL_TRACES_SAMPLER_ARG), 0 to 1.</summary>
    [Range(0.0, 1.0)]
    public double? SamplerArg { get; set; }

    /// <summary>
    /// A client span per database command (TRACE_DATABASE_COMMANDS, exporting only). Off by default: dozens of spans per
    /// job that the job's own spans already time.
    /// </summary>
    public bool DatabaseCommands { get; set; }

    /// <summary>Where spans go, or null when no endpoint is set (nothing is exported).</summary>
    public Uri? ExportUri
    {
        get
        {
            if (Parse(OtlpTracesEndpoint) is { } traces)
            {
                return traces;
            }

            if (Parse(OtlpEndpoint) is not { } root)
            {
                return null;
            }

            // As the SDK does with the variable: gRPC takes the base address, HTTP the signal's path below it.
            if (!IsHttpProtobuf || root.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal))
            {
                return root;
            }

            return new Uri(root, root.AbsolutePath.TrimEnd('/') + "/v1/traces");
        }
    }

    public bool IsHttpProtobuf => string.Equals(OtlpProtocol.Trim(), HttpProtobuf, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(OtlpEndpoint), OtlpEndpoint), (nameof(OtlpTracesEndpoint), OtlpTracesEndpoint) })
        {
            if (!string.IsNullOrWhiteSpace(value) && Parse(value) is null)
            {
                yield return new ValidationResult(
                    $"{Display(name)} must be an absolute http:// or https:// URL such as http://127.0.0.1:4317, not '{value}'.", [name]);
            }
        }

        if (!string.Equals(OtlpProtocol.Trim(), Grpc, StringComparison.OrdinalIgnoreCase) && !IsHttpProtobuf)
        {
            yield return new ValidationResult($"{Display(nameof(OtlpProtocol))} must be {Grpc} or {HttpProtobuf}, not '{OtlpProtocol}'.",
                [nameof(OtlpProtocol)]);
        }

        if (!string.IsNullOrWhiteSpace(Sampler) && !Samplers.Contains(Sampler.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"{Display(nameof(Sampler))} must be one of {string.Join(", ", Samplers)}, not '{Sampler}'.",
                [nameof(Sampler)]);
        }
    }

    private static string Display(string property) => EnvironmentMapping.DisplayName($"{SectionName}:{property}");

    private static Uri? Parse(string? value) =>
        !string.IsNullOrWhiteSpace(value) && Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? uri
            : null;
}
