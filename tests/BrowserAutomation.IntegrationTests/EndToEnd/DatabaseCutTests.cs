using System.Net;
using System.Net.Http.Json;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// The connection to PostgreSQL cut at many moments around a submission: while the job's message is on its way to the
/// worker, while the worker records the attempt's start, while the state machine records it. Every accepted job still
/// completes.
/// </summary>
[Collection(StackDefinition.Name)]
public sealed class DatabaseCutTests(StackFixture stack)
{
    private const int Cuts = 16;

    private static object Visit(string url) => new { browserTypeId = 1, actionType = "visit", payload = new { url }, timeoutMs = 10_000 };

    [Fact]
    public async Task A_job_accepted_just_before_the_database_is_cut_completes_whenever_the_cut_falls()
    {
        for (var cut = 0; cut < Cuts; cut++)
        {
            var accepted = await stack.SubmitAsync(Visit(stack.Site.Url("/page")));
            // 0 to 225 ms after the acceptance: the job is then somewhere between the outbox and its first attempt.
            await Task.Delay(cut * 15);
            stack.DatabaseLink.Disable();
            try
            {
                using var refused = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), Visit(stack.Site.Url("/page")));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                await Task.Delay(100 + (cut % 4 * 100));
            }
            finally
            {
                stack.DatabaseLink.Enable();
            }

            try
            {
                var job = await stack.WaitForFinalStatusAsync(accepted, TimeSpan.FromSeconds(45));
                Assert.Equal("completed", job.GetProperty("status").GetString());
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"Cut {cut} ({cut * 15} ms after acceptance) lost job {accepted}.\nAPI:\n{stack.Api.Tail}\nWorker:\n{stack.Worker.Tail}", e);
            }
        }
    }
}
