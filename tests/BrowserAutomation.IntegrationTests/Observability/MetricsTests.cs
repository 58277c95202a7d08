using System.Net.Http.Json;
using System.Text.Json;
using BrowserAutomation.IntegrationTests.Support;

namespace BrowserAutomation.IntegrationTests.Observability;

[CollectionDefinition(Name)]
public sealed class MetricsStackDefinition : ICollectionFixture<StackFixture>
{
    public const string Name = "metrics-stack";
}

/// <summary>
/// Jobs that complete, fail in each cheaply provoked way and are retried move the API's and the worker's series by
/// exactly the expected amounts (deltas, so earlier jobs do not matter), and a real Prometheus scrapes both.
/// </summary>
[Collection(MetricsStackDefinition.Name)]
public sealed class MetricsTests(StackFixture stack) : IAsyncLifetime
{
    private const string Chromium = "engine=chromium";
    private static readonly HttpClient Scraper = new() { Timeout = TimeSpan.FromSeconds(10) };
    private LoopbackTargets _targets = null!;

    public async Task InitializeAsync()
    {
        _targets = await LoopbackTargets.StartAsync();
        _targets.Redirect("/to-denied", 302, $"{_targets.DeniedBase}/secret");
        _targets.Page("/with-image", $"""<!doctype html><html><head><title>Image</title></head><body><img src="{_targets.DeniedBase}/pixel.png"></body></html>""");
    }

    public async Task DisposeAsync()
    {
        await _targets.DisposeAsync();
    }

    private Task<PrometheusText> ApiAsync() => PrometheusText.ScrapeAsync(Scraper, stack.BaseAddress);

    private Task<PrometheusText> WorkerAsync() => PrometheusText.ScrapeAsync(Scraper, stack.WorkerAddress);

    private static object Visit(string url, int maxRetries = 1, int timeoutMs = 10_000) =>
        new { browserTypeId = 1, actionType = "visit", payload = new { url }, maxRetries, timeoutMs };

    [Fact]
    public async Task Jobs_move_every_series_by_the_expected_amount_and_Prometheus_scrapes_both_processes()
    {
        var api0 = await ApiAsync();
        var worker0 = await WorkerAsync();
        var flaky = Guid.NewGuid().ToString("N");
        var jobs = new[]
        {
            await stack.SubmitAsync(Visit(stack.Site.Url("/page"))),
            // Transient failures get one retry each: navigation_failed then completed, twice navigation_failed, twice timeout.
            await stack.SubmitAsync(Visit(stack.Faults.Url($"/flaky?id={flaky}&fail=1"))),
            await stack.SubmitAsync(Visit(stack.Faults.Url($"/flaky?id={Guid.NewGuid():N}&fail=5"))),
            await stack.SubmitAsync(Visit(stack.Faults.Url("/slow?ms=30000"), timeoutMs: 2_000)),
            await stack.SubmitAsync(new
            {
                browserTypeId = 1, actionType = "screenshot", timeoutMs = 15_000, maxRetries = 1,
                payload = new { url = stack.Site.Url("/page"), selector = "#does-not-exist" },
            }),
            await stack.SubmitAsync(new { browserTypeId = 1, url = $"{_targets.AllowedBase}/to-denied", maxRetries = 0, actions = Array.Empty<object>() }),
            await stack.SubmitAsync(new { browserTypeId = 1, url = $"{_targets.AllowedBase}/with-image", actions = new[] { new { action = "screenshot" } } }),
        };
        var finals = new List<JsonElement>();
        foreach (var job in jobs)
        {
            finals.Add(await stack.WaitForFinalStatusAsync(job, TimeSpan.FromSeconds(90)));
        }

        string[] expectedStatus = ["completed", "completed", "failed", "failed", "failed", "failed", "completed"];
        Assert.Equal(expectedStatus, finals.Select(f => f.GetProperty("status").GetString()));
        var blocked = finals.Sum(f => f.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Object
                                      && r.TryGetProperty("blockedRequests", out var b) && b.ValueKind == JsonValueKind.Array ? b.GetArrayLength() : 0);
        Assert.True(blocked >= 1, "the image on the denied address was not listed as blocked");

        // Attempts: 3 completed (one after a retry), 7 failed (three of them retried).
        (string Status, string ErrorType, int Count)[] attempts =
        [
            ("completed", "none", 3), ("failed", "navigation_failed", 3), ("failed", "timeout", 2), ("failed", "selector_not_found", 1),
            ("failed", "url_blocked", 1),
        ];
        PrometheusText worker = null!;
        PrometheusText api = null!;
        await Wait.UntilAsync(async () =>
            {
                worker = await WorkerAsync();
                api = await ApiAsync();
                return Delta(worker, worker0, "browser_automation_jobs_finished_total", Chromium) >= 10
                       && Delta(api, api0, "browser_automation_job_retries_total", Chromium) >= 3
                       && api.Sum("browser_automation_queue_depth", Chromium) == 0;
            },
            TimeSpan.FromSeconds(30), "the finished attempts to show in the worker's /metrics");

        Assert.Equal(7, Delta(api, api0, "browser_automation_jobs_submitted_total", Chromium));
        Assert.Equal(4, Delta(api, api0, "browser_automation_jobs_submitted_total", Chromium, "action_type=visit"));
        Assert.Equal(1, Delta(api, api0, "browser_automation_jobs_submitted_total", Chromium, "action_type=screenshot"));
        foreach (var (status, errorType, count) in attempts)
        {
            Assert.True(count == Delta(worker, worker0, "browser_automation_jobs_finished_total", Chromium, $"status={status}", $"error_type={errorType}"),
                $"{status}/{errorType}:\n{worker.Text}");
        }

        Assert.Equal(10, Delta(worker, worker0, "browser_automation_jobs_finished_total", Chromium));
        Assert.Equal(3, Delta(worker, worker0, "browser_automation_job_duration_seconds_count", Chromium, "status=completed"));
        Assert.Equal(7, Delta(worker, worker0, "browser_automation_job_duration_seconds_count", Chromium, "status=failed"));
        Assert.True(Delta(worker, worker0, "browser_automation_job_duration_seconds_sum", Chromium, "status=failed") >= 4, "the two 2 s timeouts' durations");
        Assert.Equal(10, Delta(worker, worker0, "browser_automation_job_duration_seconds_bucket", Chromium, "le=+Inf"));
        Assert.Equal(7, Delta(worker, worker0, "browser_automation_job_queue_wait_seconds_count", Chromium));
        Assert.Equal(2, Delta(api, api0, "browser_automation_job_retries_total", Chromium, "error_type=navigation_failed"));
        Assert.Equal(1, Delta(api, api0, "browser_automation_job_retries_total", Chromium, "error_type=timeout"));
        Assert.Equal(3, Delta(api, api0, "browser_automation_job_retries_total", Chromium));
        Assert.Equal(blocked, Delta(worker, worker0, "browser_automation_url_blocked_total", Chromium));

        AssertLabels(api, "browser_automation_jobs_submitted_total", "action_type", "engine");
        AssertLabels(worker, "browser_automation_jobs_finished_total", "action_type", "engine", "error_type", "status");
        AssertLabels(worker, "browser_automation_job_duration_seconds_bucket", "action_type", "engine", "status");
        AssertLabels(worker, "browser_automation_job_queue_wait_seconds_bucket", "engine");
        AssertLabels(api, "browser_automation_job_retries_total", "engine", "error_type");
        AssertLabels(worker, "browser_automation_url_blocked_total", "engine");
        AssertLabels(api, "browser_automation_queue_depth", "engine");
        AssertLabels(api, "browser_automation_queue_oldest_age_seconds", "engine");
        AssertLabels(api, "browser_automation_workers", "engine", "state");
        AssertLabels(api, "browser_automation_outbox_pending_messages");
        AssertLabels(api, "browser_automation_outbox_oldest_age_seconds");
        foreach (var pool in new[] { "browser_pool_browsers", "browser_pool_contexts", "browsers_launched_total", "browsers_recycled_total", "browsers_crashed_total" })
        {
            AssertLabels(worker, "browser_automation_" + pool, "engine");
        }

        Assert.True(api.Sum("browser_automation_workers", Chromium, "state=idle") + api.Sum("browser_automation_workers", Chromium, "state=busy") >= 1);
        Assert.True(worker.Sum("browser_automation_browsers_launched_total", Chromium) >= 1);
        Assert.True(worker.Sum("browser_automation_browser_pool_browsers", Chromium) >= 1);
        Assert.Equal(0, worker.Sum("browser_automation_browsers_crashed_total", Chromium) - worker0.Sum("browser_automation_browsers_crashed_total", Chromium));
        Assert.Contains("# TYPE browser_automation_jobs_finished_total counter", worker.Text, StringComparison.Ordinal);
        Assert.Contains("# TYPE browser_automation_job_duration_seconds histogram", worker.Text, StringComparison.Ordinal);
        foreach (var scrape in new[] { api, worker })
        {
            Assert.True(scrape.Has("http_server_request_duration_seconds_bucket"), scrape.Text);
            Assert.True(scrape.Has("process_cpu_seconds_total"));
            Assert.Contains(scrape.Names, n => n.StartsWith("dotnet_", StringComparison.Ordinal));
            Assert.Contains(scrape.Names, n => n.StartsWith("messaging_masstransit_", StringComparison.Ordinal));
            // No series is labelled by owner or tenant (ASP.NET Core's memory pool has an "owner" of its own: kestrel).
            Assert.DoesNotMatch(@"[{,](owner|tenant|api_key)=""", scrape.Text);
        }

        await using var prometheus = await PrometheusServer.StartAsync(new Dictionary<string, Uri> { ["api"] = stack.BaseAddress, ["worker"] = stack.WorkerAddress });
        var completed = (await WorkerAsync()).Sum("browser_automation_jobs_finished_total", "status=completed");
        await Wait.UntilAsync(async () =>
                (await prometheus.QueryAsync("""sum(browser_automation_jobs_finished_total{status="completed"})""")) is [var value] && value == completed
                && (await prometheus.QueryAsync("up == 1")).Count == 2
                && (await prometheus.QueryAsync("sum(browser_automation_jobs_submitted_total)")).Count == 1,
            TimeSpan.FromSeconds(30), "Prometheus to scrape both processes and report the completed jobs");
    }

    private static double Delta(PrometheusText after, PrometheusText before, string name, params string[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    private static void AssertLabels(PrometheusText scrape, string name, params string[] labels)
    {
        Assert.True(scrape.Has(name), $"{name} missing:\n{scrape.Text}");
        Assert.Equal(labels.Order(), scrape.LabelNames(name));
    }
}
