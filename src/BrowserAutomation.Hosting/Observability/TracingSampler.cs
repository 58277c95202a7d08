using System.Diagnostics;
using OpenTelemetry.Trace;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// The sampler named by OTEL_TRACES_SAMPLER (read as the SDK reads it; parentbased_always_on by default), except that a
/// client call outside any operation (a database command of the outbox dispatcher's polling or of a heartbeat) starts
/// no trace of its own: those would be most of the traces and tell nothing about a job. Calls inside a request or a
/// message are sampled with it.
/// </summary>
internal sealed class TracingSampler(Sampler inner) : Sampler
{
    public static Sampler From(TracingOptions options)
    {
        var ratio = options.SamplerArg ?? 1.0;
        Sampler named = options.Sampler?.Trim().ToLowerInvariant() switch
        {
            "always_on" => new AlwaysOnSampler(),
            "always_off" => new AlwaysOffSampler(),
            "traceidratio" => new TraceIdRatioBasedSampler(ratio),
            "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
            "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)),
            _ => new ParentBasedSampler(new AlwaysOnSampler()),
        };
        return new TracingSampler(named);
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.ParentContext.TraceId == default && samplingParameters.Kind == ActivityKind.Client)
        {
            return new SamplingResult(SamplingDecision.Drop);
        }

        return inner.ShouldSample(samplingParameters);
    }
}
