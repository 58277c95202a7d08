using System.Diagnostics;
using BrowserAutomation.Hosting.Observability;

namespace BrowserAutomation.UnitTests.Hosting;

/// <summary>How the service's own spans join a job's trace: from an outbox row's traceparent, or from the job's.</summary>
public sealed class AutomationSpansTests : IDisposable
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string SpanId = "00f067aa0ba902b7";
    private const string TraceParent = $"00-{TraceId}-{SpanId}-01";

    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == AutomationTelemetry.Name,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public AutomationSpansTests() => ActivitySource.AddActivityListener(_listener);

    [Fact]
    public void An_outbox_row_is_dispatched_as_a_child_of_the_span_that_wrote_it()
    {
        using var span = AutomationSpans.StartOutboxDispatch(TraceParent, "vendor=1", Guid.NewGuid(), "urn:message:X", 0);

        Assert.NotNull(span);
        Assert.Equal(TraceId, span.TraceId.ToHexString());
        Assert.Equal(SpanId, span.ParentSpanId.ToHexString());
        Assert.Equal("vendor=1", span.TraceStateString);
        Assert.Same(span, Activity.Current);
        // What the next outbox row written inside it stores.
        Assert.Equal($"00-{TraceId}-{span.SpanId.ToHexString()}-01", AutomationSpans.CurrentTraceParent());
    }

    [Fact]
    public void A_row_written_outside_any_trace_is_dispatched_without_a_span_of_its_own()
    {
        Assert.Null(AutomationSpans.StartOutboxDispatch(null, null, Guid.NewGuid(), "urn:message:X", 0));
        Assert.Null(AutomationSpans.StartOutboxDispatch("garbage", null, Guid.NewGuid(), "urn:message:X", 0));
    }

    [Fact]
    public void A_transition_caused_outside_the_jobs_trace_joins_the_jobs_trace_and_links_its_cause()
    {
        using var cause = new Activity("DELETE /api/v1/jobs/{id}").SetIdFormat(ActivityIdFormat.W3C).Start();

        using var transition = AutomationSpans.StartTransition(Guid.NewGuid(), 1, "processing", "cancelled", TraceParent);

        Assert.NotNull(transition);
        Assert.Equal(TraceId, transition.TraceId.ToHexString());
        Assert.Equal(SpanId, transition.ParentSpanId.ToHexString());
        Assert.Equal(cause.TraceId, Assert.Single(transition.Links).Context.TraceId);
        Assert.Equal("processing", transition.GetTagItem(AutomationSpans.FromStatusTag));
        Assert.Equal("cancelled", transition.GetTagItem(AutomationSpans.ToStatusTag));
    }

    [Fact]
    public void A_transition_inside_the_jobs_trace_is_a_child_of_what_caused_it()
    {
        using var consume = new Activity("job-state process").SetParentId(TraceParent).Start();

        using var transition = AutomationSpans.StartTransition(Guid.NewGuid(), 1, "pending", "processing", TraceParent);

        Assert.NotNull(transition);
        Assert.Equal(consume.SpanId, transition.ParentSpanId);
        Assert.Empty(transition.Links);
    }

    [Fact]
    public void A_goto_step_keeps_no_credentials_query_or_fragment_of_its_url()
    {
        using var step = AutomationSpans.StartStep(2, "goto", null, null, "https://user:pw@example.test:8443/a/b?token=s3cret#frag");

        Assert.Equal("https://example.test:8443/a/b", step!.GetTagItem(AutomationSpans.UrlTag));
        Assert.Equal("job step goto", step.OperationName);
    }

    public void Dispose() => _listener.Dispose();
}
