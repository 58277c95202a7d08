using System.Net.Http.Json;
using System.Text.Json;
using BrowserAutomation.IntegrationTests.Support;
using Npgsql;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// A job's request that the worker cannot handle at all (here: PostgreSQL refuses its "picked up" row with an error no
/// retry would cure) faults into the engine queue's error queue. The state machine hears MassTransit's fault event and
/// counts it as a failed attempt, so the job is retried or fails; it never stays pending.
/// </summary>
[Collection(StackDefinition.Name)]
public sealed class FaultedRequestTests(StackFixture stack)
{
    private static object Visit(string url, int maxRetries) =>
        new { browserTypeId = 1, actionType = "visit", payload = new { url }, maxRetries, timeoutMs = 10_000 };

    [Fact]
    public async Task A_request_that_faults_at_the_worker_is_a_failed_attempt_retried_while_retries_last()
    {
        // Only this test's jobs (their URL carries the marker), and only their first attempt, are refused.
        var marker = Guid.NewGuid().ToString("N");
        var name = $"test_fault_{marker}";
        await ExecuteAsync($"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.message LIKE 'Attempt 1 picked up%'
                   AND EXISTS (SELECT 1 FROM automation_jobs WHERE id = NEW.job_id AND target_url LIKE '%{marker}%') THEN
                    RAISE EXCEPTION 'injected by the test';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {name} BEFORE INSERT ON job_logs FOR EACH ROW EXECUTE FUNCTION {name}();
            """);
        using var scraper = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var before = await PrometheusText.ScrapeAsync(scraper, stack.BaseAddress);
        try
        {
            var retried = await stack.SubmitAsync(Visit(stack.Site.Url($"/page?m={marker}"), maxRetries: 1));
            var failed = await stack.SubmitAsync(Visit(stack.Site.Url($"/page?m={marker}&retries=0"), maxRetries: 0));

            var job = await stack.WaitForFinalStatusAsync(retried, TimeSpan.FromSeconds(45));
            Assert.Equal("completed", job.GetProperty("status").GetString());
            Assert.Equal(2, job.GetProperty("attempt").GetInt32());
            Assert.Equal(1, job.GetProperty("retryCount").GetInt32());
            var logs = (await stack.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/jobs/{retried}/logs", UriKind.Relative)))
                .GetProperty("data").EnumerateArray().Select(l => l.GetProperty("message").GetString()!).ToList();
            Assert.Contains(logs, m => m.StartsWith("Attempt 1 failed: internal_error: Attempt 1's request faulted at a chromium worker, which could not run it "
                                                    + "(Npgsql.PostgresException: P0001: injected by the test); retry 1 of 1", StringComparison.Ordinal));

            var end = await stack.WaitForFinalStatusAsync(failed, TimeSpan.FromSeconds(45));
            Assert.Equal("failed", end.GetProperty("status").GetString());
            var details = end.GetProperty("error").GetProperty("details");
            Assert.Equal("internal_error", details.GetProperty("errorType").GetString());
            Assert.Equal("Attempt 1's request faulted at a chromium worker, which could not run it (Npgsql.PostgresException: P0001: injected by the test)",
                end.GetProperty("error").GetProperty("message").GetString());

            // Each job's first request faulted once; one of them was retried for it.
            var after = await PrometheusText.ScrapeAsync(scraper, stack.BaseAddress);
            Assert.Equal(2, after.Sum("browser_automation_job_delivery_faults_total", "engine=chromium")
                            - before.Sum("browser_automation_job_delivery_faults_total", "engine=chromium"));
            Assert.Equal(1, after.Sum("browser_automation_job_retries_total", "engine=chromium", "error_type=internal_error")
                            - before.Sum("browser_automation_job_retries_total", "engine=chromium", "error_type=internal_error"));
        }
        finally
        {
            await ExecuteAsync($"DROP TRIGGER {name} ON job_logs; DROP FUNCTION {name}();");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(stack.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
