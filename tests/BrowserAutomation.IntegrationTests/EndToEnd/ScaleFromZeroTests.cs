using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// Admission by configuration: with no worker running, jobs for a served engine are accepted and wait in their queue
/// with their position; a worker started later runs them all. Only an engine the deployment does not serve is 422.
/// </summary>
[Collection(WorkerlessStackDefinition.Name)]
public sealed class ScaleFromZeroTests(WorkerlessStackFixture stack)
{
    private const int Jobs = 20;

    [Fact]
    public async Task Jobs_submitted_with_no_worker_wait_in_order_and_a_worker_started_later_completes_them_all()
    {
        var jobs = new List<Guid>();
        for (var i = 0; i < Jobs; i++)
        {
            jobs.Add(await stack.SubmitAsync(new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") } }));
        }

        // Pending, each at its place among the chromium jobs, in the order the worker will take them.
        for (var i = 0; i < Jobs; i++)
        {
            var job = await stack.GetJobAsync(jobs[i]);
            Assert.Equal("pending", job.GetProperty("status").GetString());
            Assert.Equal(i + 1, job.GetProperty("queuePosition").GetInt32());
        }

        // A more urgent job goes first; the others move back by one.
        var urgent = await stack.SubmitAsync(new { browserTypeId = 1, actionType = "visit", priority = 5, payload = new { url = stack.Site.Url("/page") } });
        Assert.Equal(1, (await stack.GetJobAsync(urgent)).GetProperty("queuePosition").GetInt32());
        Assert.Equal(2, (await stack.GetJobAsync(jobs[0])).GetProperty("queuePosition").GetInt32());

        // Firefox is served (SERVED_ENGINES) though no firefox worker runs here: accepted, first in its own queue.
        var firefox = await stack.SubmitAsync(new { browserTypeId = 2, actionType = "visit", payload = new { url = stack.Site.Url("/page") } });
        Assert.Equal(1, (await stack.GetJobAsync(firefox)).GetProperty("queuePosition").GetInt32());

        // WebKit is not served at all: refused, nothing created.
        using (var webkit = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative),
                   new { browserTypeId = 3, actionType = "visit", payload = new { url = stack.Site.Url("/page") } }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, webkit.StatusCode);
        }

        // The worker arrives (scale from zero) and takes every waiting chromium job.
        stack.StartWorker([]);
        jobs.Add(urgent);
        foreach (var id in jobs)
        {
            var finished = await stack.WaitForFinalStatusAsync(id, TimeSpan.FromSeconds(120));
            Assert.Equal("completed", finished.GetProperty("status").GetString());
            Assert.False(finished.TryGetProperty("queuePosition", out _), "a job that is no longer pending has no queue position");
        }

        var stillWaiting = await stack.GetJobAsync(firefox);
        Assert.Equal("pending", stillWaiting.GetProperty("status").GetString());
        Assert.Equal(1, stillWaiting.GetProperty("queuePosition").GetInt32());
        Assert.Equal(JsonValueKind.Number, stillWaiting.GetProperty("queuePosition").ValueKind);
    }
}
