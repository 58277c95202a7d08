using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.Observability;

/// <summary>LOG_FORMAT=json in real processes: a job's lines in the API and the worker are JSON with its ids, and no secret.</summary>
[Collection(JsonLogStackDefinition.Name)]
public sealed class JsonLogTests(JsonLogStackFixture stack)
{
    [Fact]
    public async Task A_jobs_lines_in_both_processes_are_json_with_its_job_and_trace_ids_and_no_secret()
    {
        var run = Guid.NewGuid().ToString("N")[..10];
        string password = $"pw-{run}", cookie = $"cookie-{run}";
        var jobId = await stack.SubmitAsync(new
        {
            browserTypeId = 1,
            url = stack.Site.Url("/login"),
            options = new { cookies = new[] { new { name = "session", value = cookie, url = stack.Site.Url("/") } } },
            actions = new object[]
            {
                new { action = "fill", target = "Username", getTargetBy = "getByLabel", value = $"user-{run}" },
                new { action = "fill", target = "#password", value = password },
                new { action = "click", target = "Sign in", getTargetBy = "getByText" },
            },
        });
        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        var traceId = job.GetProperty("traceId").GetString();

        foreach (var app in new[] { stack.Api, stack.Worker })
        {
            var lines = app.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var objects = lines.Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
            Assert.All(objects, o => Assert.True(o.TryGetProperty("timestamp", out _) && o.TryGetProperty("level", out _) && o.TryGetProperty("message", out _)));
            var mine = objects.Where(o => o.TryGetProperty("jobId", out var id) && id.GetString() == jobId.ToString()).ToList();
            Assert.True(mine.Count > 0, $"{app.Name} logged no line with jobId {jobId}:\n{app.Tail}");
            Assert.All(mine, o => Assert.Equal(traceId, o.GetProperty("traceId").GetString()));
            Assert.Contains(mine, o => o.TryGetProperty("engine", out var e) && e.GetString() == "chromium");
            Assert.DoesNotContain(password, app.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(cookie, app.Output, StringComparison.Ordinal);
        }
    }
}

/// <summary>The stack with JSON logs at the information level, set through LOG_LEVEL (the sectioned key left empty).</summary>
public sealed class JsonLogStackFixture : StackFixture
{
    protected override IReadOnlyDictionary<string, string> StackSettings { get; } = new Dictionary<string, string>
    {
        ["LOG_FORMAT"] = "json",
        ["LOG_LEVEL"] = "info",
        ["Logging__LogLevel__Default"] = "",
    };
}

[CollectionDefinition(Name)]
public sealed class JsonLogStackDefinition : ICollectionFixture<JsonLogStackFixture>
{
    public const string Name = "json-log-stack";
}
