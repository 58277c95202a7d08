using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BrowserAutomation.IntegrationTests.Automation;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>
/// The action endpoints (asynchronous and with ?wait, JSON and file answers), the 422 for engines without a
/// live worker, engine capability errors, and browser availability, against the running API and worker processes.
/// </summary>
[Collection(StackDefinition.Name)]
public sealed class ActionsEndpointsTests(StackFixture stack)
{
    // Below the test client's 30 s timeout; the jobs here take about a second.
    private const string Wait = "wait=25s";

    private async Task<HttpResponseMessage> PostAsync(string path, object body, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        return await stack.Http.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task Visit_without_wait_is_accepted_with_a_location_and_completes()
    {
        using var response = await PostAsync("/api/v1/actions/visit", new { url = stack.Site.Url("/page"), waitUntil = "load", timeout = 20_000 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = (await JsonAsync(response)).GetProperty("jobId").GetGuid();
        Assert.Equal($"/api/v1/jobs/{jobId}", response.Headers.Location?.ToString());

        var job = await stack.WaitForFinalStatusAsync(jobId);
        Assert.Equal(("completed", "visit", 1, 20_000), (job.GetProperty("status").GetString(), job.GetProperty("actionType").GetString(),
            job.GetProperty("browserTypeId").GetInt32(), job.GetProperty("timeoutMs").GetInt32()));
        Assert.Equal(TestSite.PageTitle, job.GetProperty("result").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Visit_with_wait_answers_with_the_finished_job()
    {
        using var response = await PostAsync($"/api/v1/actions/visit?{Wait}", new { browserTypeId = 1, url = stack.Site.Url("/page") });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = await JsonAsync(response);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(200, job.GetProperty("result").GetProperty("httpStatus").GetInt32());
        Assert.Equal(TestSite.PageTitle, job.GetProperty("result").GetProperty("title").GetString());
        Assert.Equal($"/api/v1/jobs/{job.GetProperty("id").GetGuid()}", response.Content.Headers.ContentLocation?.ToString());
    }

    [Fact]
    public async Task A_synchronous_screenshot_asked_for_as_png_is_the_png_itself()
    {
        using var response = await PostAsync($"/api/v1/actions/screenshot?{Wait}",
            new { url = stack.Site.Url("/page"), viewport = new { width = 640, height = 480 }, format = "png" }, accept: "image/png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal((640, 480), ImageHeaders.PngSize(png));

        // The job behind it is named, and its stored artifact is the same file.
        var jobId = Guid.Parse(response.Headers.GetValues("X-Job-Id").Single());
        var job = await stack.GetJobAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(png, await stack.Http.GetByteArrayAsync(new Uri(job.GetProperty("result").GetProperty("screenshotUrl").GetString()!, UriKind.Relative)));
    }

    [Fact]
    public async Task A_synchronous_element_screenshot_as_jpeg_and_without_an_image_accept_header_is_the_job()
    {
        using var jpeg = await PostAsync($"/api/v1/actions/screenshot?wait=25000",
            new { url = stack.Site.Url("/page"), selector = "#box", format = "jpeg", quality = 80 }, accept: "image/*");
        Assert.Equal(HttpStatusCode.OK, jpeg.StatusCode);
        Assert.Equal("image/jpeg", jpeg.Content.Headers.ContentType?.MediaType);
        var bytes = await jpeg.Content.ReadAsByteArrayAsync();
        Assert.True(ImageHeaders.IsJpeg(bytes));
        Assert.Equal((TestSite.BoxWidth, TestSite.BoxHeight), ImageHeaders.JpegSize(bytes));

        using var json = await PostAsync($"/api/v1/actions/screenshot?{Wait}", new { url = stack.Site.Url("/page") });
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("/api/v1/jobs/", (await JsonAsync(json)).GetProperty("result").GetProperty("screenshotUrl").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_synchronous_pdf_asked_for_as_pdf_is_the_document_itself()
    {
        using var response = await PostAsync($"/api/v1/actions/pdf?{Wait}",
            new
            {
                url = stack.Site.Url("/tall"), format = "A4", printBackground = true,
                margin = new { top = "1cm", right = "1cm", bottom = "1cm", left = "1cm" },
            },
            accept: "application/pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        var (pages, width, height) = PdfInspector.Inspect(pdf);
        Assert.True(pages > 1, $"a {TestSite.TallHeight} px page prints on several A4 pages, got {pages}");
        // A4 is 595 × 842 pt; Chromium rounds the page to whole CSS pixels.
        Assert.InRange(width, 594, 597);
        Assert.InRange(height, 841, 844);
    }

    [Fact]
    public async Task Form_fill_signs_in_and_waits_for_the_next_page()
    {
        using var response = await PostAsync($"/api/v1/actions/form-fill?{Wait}", new
        {
            url = stack.Site.Url("/login"),
            actions = new object[]
            {
                new { type = "fill", selector = "#user", value = "Ada" },
                new { type = "fill", selector = "#password", value = "pa55word", sensitive = true },
                new { type = "select", selector = "#country", value = "de" },
                new { type = "check", selector = "#remember" },
                new { type = "click", selector = "button[type=submit]" },
            },
            waitForNavigation = true,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = await JsonAsync(response);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        var result = job.GetProperty("result");
        Assert.Equal(TestPages.WelcomeTitle, result.GetProperty("title").GetString());
        Assert.EndsWith("/welcome", result.GetProperty("finalUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(["fill", "fill", "select", "check", "click", "waitForLoadState"],
            result.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("action").GetString()));

        // Form values are never shown back.
        Assert.DoesNotContain("pa55word", job.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Ada", job.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_returns_named_single_and_multiple_values()
    {
        using var response = await PostAsync($"/api/v1/actions/extract?{Wait}", new
        {
            url = stack.Site.Url("/table"),
            extractors = new object[]
            {
                new { name = "firstHeader", selector = "#prices thead th:first-child", attribute = "textContent" },
                new { name = "products", selector = "#prices tbody a", multiple = true },
                new { name = "links", selector = "#prices a", attribute = "href", multiple = true },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var extracted = (await JsonAsync(response)).GetProperty("result").GetProperty("extracted");
        Assert.Equal("Product", extracted.GetProperty("firstHeader").GetString());
        Assert.Equal(["Apple", "Banana", "Cherry"], extracted.GetProperty("products").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["/products/apple", "/products/banana", "/products/cherry"], extracted.GetProperty("links").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_job_that_fails_within_the_wait_answers_in_the_job_execution_error_format()
    {
        using var response = await PostAsync($"/api/v1/actions/extract?{Wait}", new
        {
            url = stack.Site.Url("/table"),
            maxRetries = 0,
            extractors = new object[] { new { name = "missing", selector = "#does-not-exist" } },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await JsonAsync(response);
        Assert.Equal(422, error.GetProperty("statusCode").GetInt32());
        Assert.Equal("JobExecutionError", error.GetProperty("error").GetString());
        Assert.Contains("#does-not-exist", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("selector_not_found", error.GetProperty("details").GetProperty("errorType").GetString());
        Assert.False(error.GetProperty("details").GetProperty("canRetry").GetBoolean());
    }

    [Fact]
    public async Task A_job_still_running_when_the_wait_ends_is_accepted_with_a_location()
    {
        using var response = await PostAsync("/api/v1/actions/visit?wait=200ms", new { url = stack.Faults.Url("/slow?ms=3000") });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await JsonAsync(response);
        var jobId = body.GetProperty("jobId").GetGuid();
        Assert.True(body.GetProperty("status").GetString() is "pending" or "processing");
        Assert.Equal($"/api/v1/jobs/{jobId}", response.Headers.Location?.ToString());
        Assert.Equal("completed", (await stack.WaitForFinalStatusAsync(jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bad_action_requests_are_problems_naming_the_field()
    {
        using var noSteps = await PostAsync("/api/v1/actions/form-fill", new { url = stack.Site.Url("/login") });
        Assert.Equal(HttpStatusCode.BadRequest, noSteps.StatusCode);
        Assert.Equal("application/problem+json", noSteps.Content.Headers.ContentType?.MediaType);
        Assert.True((await JsonAsync(noSteps)).GetProperty("errors").TryGetProperty("actions", out _));

        using var badStep = await PostAsync("/api/v1/actions/extract", new
        {
            url = "ftp://example.com/", extractors = new object[] { new { name = "a", selector = "p" }, new { selector = "q" } },
        });
        var errors = (await JsonAsync(badStep)).GetProperty("errors");
        Assert.Equal(["extractors[1].name", "url"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        using var badWait = await PostAsync("/api/v1/actions/visit?wait=soon", new { url = stack.Site.Url("/page") });
        Assert.Equal(HttpStatusCode.BadRequest, badWait.StatusCode);
        Assert.True((await JsonAsync(badWait)).GetProperty("errors").TryGetProperty("wait", out _));
    }

    [Fact]
    public async Task What_the_engine_cannot_do_is_a_bad_request_naming_the_step_and_field()
    {
        using var screenshot = await PostAsync("/api/v1/actions/screenshot", new { browserTypeId = 2, url = stack.Site.Url("/page"), omitBackground = true });
        Assert.Equal(HttpStatusCode.BadRequest, screenshot.StatusCode);
        var errors = (await JsonAsync(screenshot)).GetProperty("errors");
        Assert.Contains("Firefox", errors.GetProperty("omitBackground")[0].GetString(), StringComparison.Ordinal);

        using var job = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative), new
        {
            browserTypeId = 2, url = stack.Site.Url("/page"), options = new { colorScheme = "dark" },
            actions = new object[] { new { action = "wait", milliseconds = 1 }, new { action = "screenshot", omitBackground = true } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, job.StatusCode);
        Assert.Equal(["actions[1].omitBackground", "options.colorScheme"],
            (await JsonAsync(job)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        using var mobile = await PostAsync("/api/v1/actions/visit", new { browserTypeId = 2, url = stack.Site.Url("/page"), options = new { device = "Pixel 7" } });
        Assert.Equal(HttpStatusCode.BadRequest, mobile.StatusCode);
        Assert.Contains("isMobile", (await JsonAsync(mobile)).GetProperty("errors").GetProperty("options.device")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_for_an_engine_the_deployment_does_not_serve_is_422_and_creates_nothing()
    {
        var jobsBefore = await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs");

        // This stack serves chromium and firefox (SERVED_ENGINES), not WebKit.
        using var job = await stack.Http.PostAsJsonAsync(new Uri("/api/v1/jobs", UriKind.Relative),
            new { browserTypeId = 3, actionType = "visit", payload = new { url = stack.Site.Url("/page") } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, job.StatusCode);
        Assert.Equal("application/problem+json", job.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(job);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("webkit", detail, StringComparison.Ordinal);
        Assert.Contains("does not serve the webkit engine", detail, StringComparison.Ordinal);
        Assert.Equal("webkit", problem.GetProperty("engine").GetString());

        using var action = await PostAsync($"/api/v1/actions/screenshot?{Wait}", new { browserTypeId = 3, url = stack.Site.Url("/page") }, accept: "image/png");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, action.StatusCode);
        Assert.Contains("webkit", (await JsonAsync(action)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(jobsBefore, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs"));
        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE browser_type_id = 3"));
    }

    [Fact]
    public async Task Browser_types_show_whether_a_live_worker_can_run_them_and_why_not()
    {
        static JsonElement ById(JsonElement list, int id) => list.GetProperty("data").EnumerateArray().Single(b => b.GetProperty("id").GetInt32() == id);

        var list = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/browsers", UriKind.Relative));
        var chromium = ById(list, 1);
        Assert.Equal("Chromium", chromium.GetProperty("name").GetString());
        Assert.True(chromium.GetProperty("available").GetBoolean());
        Assert.Equal(JsonValueKind.Null, chromium.GetProperty("availability").GetProperty("reason").ValueKind);
        Assert.Equal(1, chromium.GetProperty("availability").GetProperty("liveWorkers").GetInt32());
        Assert.Equal(1, chromium.GetProperty("availability").GetProperty("availableWorkers").GetInt32());
        Assert.True(ById(list, 4).GetProperty("available").GetBoolean(), "Mobile Chrome runs on the Chromium worker");

        var webkit = ById(list, 3);
        Assert.False(webkit.GetProperty("available").GetBoolean());
        Assert.Equal(0, webkit.GetProperty("availability").GetProperty("liveWorkers").GetInt32());
        Assert.Contains("does not serve the webkit engine", webkit.GetProperty("availability").GetProperty("reason").GetString(), StringComparison.Ordinal);

        // A live Firefox worker that could not launch its browser: live, but not available, and it says why.
        var worker = await stack.Database.ScalarAsync<Guid>("""
            INSERT INTO browser_workers (id, browser_type_id, status, last_heartbeat, started_at, metadata)
            VALUES (gen_random_uuid(), 2, 'idle', now(), now(),
                    '{"engine": "firefox", "available": false, "unavailableReason": "firefox-esr is not installed"}'::jsonb)
            RETURNING id
            """);
        try
        {
            var firefox = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/browsers/2", UriKind.Relative));
            Assert.False(firefox.GetProperty("available").GetBoolean());
            Assert.Equal(1, firefox.GetProperty("availability").GetProperty("liveWorkers").GetInt32());
            Assert.Equal(0, firefox.GetProperty("availability").GetProperty("availableWorkers").GetInt32());
            Assert.Equal("firefox-esr is not installed", firefox.GetProperty("availability").GetProperty("reason").GetString());

            // Mobile Firefox (a phone-sized Firefox) is served by the same workers.
            var mobileFirefox = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/browsers/5", UriKind.Relative));
            Assert.False(mobileFirefox.GetProperty("available").GetBoolean());
            Assert.Equal("firefox-esr is not installed", mobileFirefox.GetProperty("availability").GetProperty("reason").GetString());
        }
        finally
        {
            await EndToEndTests.RemoveWorkerAsync(stack, worker);
        }
    }
}
