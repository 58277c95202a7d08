using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Api.Infrastructure;

/// <summary>Request limits Kestrel enforces (section "Kestrel:Limits").</summary>
public sealed class RequestLimitsOptions
{
    public const string SectionName = "Kestrel:Limits";

    /// <summary>Largest request body in bytes (REQUEST_MAX_BODY_BYTES; 1 MB by default).</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBodySize { get; set; } = 1_048_576;
}
