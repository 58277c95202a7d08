using BrowserAutomation.IntegrationTests.Support.Otlp;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>One job is one trace: the API and the worker export their spans over OTLP/HTTP to the test's receiver.</summary>
[Collection(TracingStackDefinition.Name)]
public sealed class TracingTests(TracingStackFixture stack)
{
    private const string Api = "browser-automation-api";
    private const string Worker = "browser-automation-worker";
    private const string Secret = "tr4ce-s3cret-value";
    private const int ServerKind = 2;

    [Fact]
    public async Task A_job_is_one_trace_from_its_POST_through_the_outbox_and_the_worker_steps_to_each_transition()
    {
        var jobId = await stack.SubmitAsync(new
        {
            browserTypeId = 1,
            url = stack.Site.Url("/login"),
            actions = new object[]
            {
                new { action = "fill", target = "#user", value = "Ada" },
                new { action = "fill", target = "#password", value = Secret },
                new { action = "screenshot" },
            },
        });
        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        var traceId = job.GetProperty("traceId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);

        // The final transition is the last span the job makes; the attempt ends before the worker reports.
        IReadOnlyList<ReceivedSpan> spans = [];
        await Wait.UntilAsync(() =>
            {
                spans = stack.Receiver.Trace(traceId);
                return spans.Any(s => s.Name == "job attempt") && spans.Any(s => s.Name == "job transition" && s.Attribute("job.status.to") == "completed");
            },
            TimeSpan.FromSeconds(30),
            $"the spans of trace {traceId} ({stack.Receiver.Spans.Count} spans in {stack.Receiver.Requests} exports so far):\n"
            + string.Join("\n", stack.Receiver.Trace(traceId)));

        Assert.Contains(spans, s => s.Service == Api);
        Assert.Contains(spans, s => s.Service == Worker);

        // The POST's server span is the root, and the worker's attempt descends from it through the outbox and RabbitMQ.
        var post = Assert.Single(spans, s => s.Service == Api && s.Span.Kind == ServerKind && s.Name.StartsWith("POST", StringComparison.Ordinal));
        Assert.Equal(string.Empty, post.ParentSpanId);
        var attempt = Assert.Single(spans, s => s.Name == "job attempt");
        Assert.Equal(Worker, attempt.Service);
        Assert.Equal(jobId.ToString(), attempt.Attribute("job.id"));
        Assert.Equal("1", attempt.Attribute("job.attempt"));
        Assert.Equal("chromium", attempt.Attribute("job.engine"));
        var ancestors = Ancestors(attempt, spans);
        Assert.Contains(post, ancestors);
        Assert.Contains(ancestors, s => s.Service == Api && s.Name == "outbox dispatch");
        Assert.Contains(ancestors, s => s.Service == Worker && s.Scope == "MassTransit");

        // A span per step, child of the attempt, naming the action and its target.
        string[] actions = ["fill", "fill", "screenshot"];
        for (var index = 0; index < actions.Length; index++)
        {
            var at = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var step = Assert.Single(spans, s => s.Name == $"job step {actions[index]}" && s.Attribute("job.step.index") == at);
            Assert.Equal(attempt.SpanId, step.ParentSpanId);
            Assert.Equal(actions[index], step.Attribute("job.step.action"));
            Assert.Equal("completed", step.Attribute("job.outcome"));
        }

        Assert.Equal("#password", Assert.Single(spans, s => s.Attribute("job.step.index") == "1").Attribute("job.step.target"));
        Assert.Contains(Ancestors(Assert.Single(spans, s => s.Name == "job artifacts store"), spans), s => s == attempt);

        // Each saga transition is a span in the API, in the same trace.
        var transitions = spans.Where(s => s.Name == "job transition")
            .Select(s => (s.Service, s.Attribute("job.status.from"), s.Attribute("job.status.to")))
            .ToList();
        Assert.Contains((Api, "pending", "processing"), transitions);
        Assert.Contains((Api, "processing", "completed"), transitions);

        // Values typed into the page never reach a span.
        Assert.DoesNotContain(spans.SelectMany(s => s.AttributeValues), v => v.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retry_stays_in_the_jobs_trace_descending_from_the_attempt_that_failed()
    {
        var id = Guid.NewGuid().ToString("N");
        var jobId = await stack.SubmitAsync(new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Faults.Url($"/flaky?id={id}&fail=1") } });
        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        var traceId = job.GetProperty("traceId").GetString()!;

        IReadOnlyList<ReceivedSpan> spans = [];
        await Wait.UntilAsync(() =>
            {
                spans = stack.Receiver.Trace(traceId);
                return spans.Count(s => s.Name == "job attempt") == 2 && spans.Any(s => s.Name == "job transition" && s.Attribute("job.status.to") == "completed");
            },
            TimeSpan.FromSeconds(30), $"both attempts in trace {traceId}:\n" + string.Join("\n", stack.Receiver.Trace(traceId)));

        var first = Assert.Single(spans, s => s.Name == "job attempt" && s.Attribute("job.attempt") == "1");
        var second = Assert.Single(spans, s => s.Name == "job attempt" && s.Attribute("job.attempt") == "2");
        Assert.Equal("failed", first.Attribute("job.outcome"));
        Assert.Equal("navigation_failed", first.Attribute("error.type"));
        Assert.Contains(first, Ancestors(second, spans));
    }

    /// <summary>The span's parents up to the root, as far as they arrived.</summary>
    private static List<ReceivedSpan> Ancestors(ReceivedSpan span, IReadOnlyList<ReceivedSpan> spans)
    {
        var byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var chain = new List<ReceivedSpan>();
        var current = span;
        while (current.ParentSpanId.Length > 0 && byId.TryGetValue(current.ParentSpanId, out var parent) && chain.Count < 100)
        {
            chain.Add(parent);
            current = parent;
        }

        return chain;
    }
}
