using System.Text.Json;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.IntegrationTests.Automation.Actions;

/// <summary>Every action and every way to name a target, on Chromium.</summary>
public sealed class ActionTests(ChromiumPoolFixture fixture) : IClassFixture<ChromiumPoolFixture>
{
    private readonly TestSite _site = fixture.Site;

    [Fact]
    public async Task Every_getTargetBy_kind_finds_its_element()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/login"),
            Jobs.Extract("css", "#user", attribute: "placeholder"),
            Jobs.Extract("xpath", "//h1"),
            Jobs.Extract("text", "Hover me", attribute: "id", getTargetBy: "getByText"),
            Jobs.Extract("label", "Username", attribute: "id", getTargetBy: "getByLabel"),
            Jobs.Extract("role", "button", attribute: "title", getTargetBy: "getByRole") with { RoleName = "Sign in" },
            Jobs.Extract("placeholder", "you@example.com", attribute: "id", getTargetBy: "getByPlaceholder"),
            Jobs.Extract("testId", "email-input", attribute: "type", getTargetBy: "getByTestId"),
            Jobs.Extract("altText", "Company logo", attribute: "src", getTargetBy: "getByAltText"),
            Jobs.Extract("title", "Login heading", getTargetBy: "getByTitle"),
            Jobs.Extract("inexact", "user", attribute: "id", getTargetBy: "getByLabel"),
            // For actions other than extract, name is the role's accessible name.
            Jobs.Step("hover", "getByRole", "heading") with { Name = "Members area" }));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("Your name", outcome.Extracted["css"].GetString());
        Assert.Equal("Members area", outcome.Extracted["xpath"].GetString());
        Assert.Equal("hover-target", outcome.Extracted["text"].GetString());
        Assert.Equal("user", outcome.Extracted["label"].GetString());
        Assert.Equal("Sign in now", outcome.Extracted["role"].GetString());
        Assert.Equal("email", outcome.Extracted["placeholder"].GetString());
        Assert.Equal("email", outcome.Extracted["testId"].GetString());
        Assert.Equal("/logo.svg", outcome.Extracted["altText"].GetString());
        Assert.Equal("Members area", outcome.Extracted["title"].GetString());
        Assert.Equal("user", outcome.Extracted["inexact"].GetString());
    }

    [Fact]
    public async Task Exact_matches_the_whole_text_only()
    {
        var loose = await RunAsync(Jobs.For(_site.Url("/login"), Jobs.Extract("id", "hover", attribute: "id", getTargetBy: "getByText")));
        var exact = await RunAsync(Jobs.For(
            _site.Url("/login"),
            Jobs.Extract("id", "hover", attribute: "id", getTargetBy: "getByText") with { Exact = true, TimeoutMs = 300 }));

        Assert.Equal("hover-target", loose.Extracted["id"].GetString());
        Assert.Equal(JobErrorTypes.SelectorNotFound, exact.ErrorType);
        Assert.Contains("getByText('hover') (exact)", exact.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Type_press_hover_check_uncheck_select_and_fill_change_the_page()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/login"),
            Jobs.Step("type", "getBySelector", "#typed") with { Value = "abc", Delay = 5 },
            Jobs.Step("press", "getBySelector", "#keys") with { Value = "Enter" },
            Jobs.Extract("pressed", "#last-key"),
            new JobAction { Action = "press", Value = "ArrowDown" },
            Jobs.Extract("focusedPress", "#last-key"),
            Jobs.Step("hover", "getBySelector", "#hover-target"),
            Jobs.Step("check", "getByLabel", "Remember me"),
            Jobs.Step("uncheck", "getByLabel", "Newsletter"),
            Jobs.Step("select", "getByLabel", "Languages") with { Values = ["en", "German"] },
            Jobs.Step("select", "getBySelector", "#country") with { Value = "gb" },
            Jobs.Step("fill", "getByPlaceholder", "Your name") with { Value = "Grace" },
            Jobs.Extract("keyEvents", "#key-events"),
            Jobs.Extract("typed", "#typed", attribute: "value"),
            Jobs.Extract("hover", "#hover-state"),
            Jobs.Extract("user", "#user", attribute: "value"),
            Jobs.Evaluate("form", """
                ({ remember: document.getElementById('remember').checked,
                   newsletter: document.getElementById('newsletter').checked,
                   languages: [...document.getElementById('languages').selectedOptions].map(o => o.value),
                   country: document.getElementById('country').value })
                """)));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("Enter", outcome.Extracted["pressed"].GetString());
        Assert.Equal("ArrowDown", outcome.Extracted["focusedPress"].GetString());
        Assert.Equal("3", outcome.Extracted["keyEvents"].GetString());
        Assert.Equal("abc", outcome.Extracted["typed"].GetString());
        Assert.Equal("hovered", outcome.Extracted["hover"].GetString());
        Assert.Equal("Grace", outcome.Extracted["user"].GetString());
        var form = outcome.Extracted["form"];
        Assert.True(form.GetProperty("remember").GetBoolean());
        Assert.False(form.GetProperty("newsletter").GetBoolean());
        Assert.Equal(["en", "de"], Strings(form.GetProperty("languages")));
        Assert.Equal("gb", form.GetProperty("country").GetString());
    }

    [Fact]
    public async Task Scroll_by_pixels_and_to_an_element()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/scroll"),
            new JobAction { Action = "scroll", Y = 1200, X = 30 },
            Jobs.Evaluate("byPixels", "[window.scrollX, window.scrollY]"),
            Jobs.Step("scroll", "getBySelector", "#target"),
            Jobs.Evaluate("toElement", "window.scrollY")) with { Viewport = new Viewport(320, 240) });

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("[30,1200]", outcome.Extracted["byPixels"].GetRawText());
        Assert.True(outcome.Extracted["toElement"].GetDouble() > 2700, outcome.Extracted["toElement"].GetRawText());
    }

    [Fact]
    public async Task WaitForSelector_waits_for_each_state_and_waitForLoadState_for_each_load_state()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/late?ms=300"),
            Jobs.Step("waitForSelector", "getBySelector", "#early") with { State = "attached" },
            Jobs.Step("waitForSelector", "getBySelector", "#late"),
            Jobs.Step("waitForSelector", "getBySelector", "#spinner") with { State = "detached" },
            Jobs.Step("waitForSelector", "getBySelector", ".never-there") with { State = "hidden" },
            new JobAction { Action = "goto", Url = _site.Url("/late?ms=0"), WaitUntil = "commit" },
            new JobAction { Action = "waitForLoadState", State = "domcontentloaded" },
            new JobAction { Action = "waitForLoadState" },
            new JobAction { Action = "waitForLoadState", State = "networkidle" },
            Jobs.Extract("late", "#late")) with { WaitUntil = "domcontentloaded" });

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("Arrived late", outcome.Extracted["late"].GetString());
    }

    [Fact]
    public async Task WaitForSelector_that_never_matches_is_selector_not_found_after_its_timeout()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/page"), Jobs.Step("waitForSelector", "getBySelector", "#never") with { TimeoutMs = 200 }));

        Assert.Equal(JobErrorTypes.SelectorNotFound, outcome.ErrorType);
        Assert.Contains("#never", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("200 ms", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Screenshot_clip_transparency_and_device_scale_factor()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/page"),
            Jobs.Screenshot() with { Clip = new BrowserAutomation.Contracts.Clip(10, 20, 100, 50) },
            Jobs.Screenshot() with { OmitBackground = true },
            Jobs.Screenshot(target: "#box", format: "jpeg", quality: 80)) with
        {
            Viewport = new Viewport(320, 240),
            Options = new JobOptions { DeviceScaleFactor = 2 },
        });

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal(["screenshot.png", "screenshot-1.png", "screenshot-2.jpg"], outcome.Artifacts.Select(a => a.FileName));
        Assert.Equal((200, 100), ImageHeaders.PngSize(outcome.Artifacts[0].Data));
        Assert.Equal((640, 480), ImageHeaders.PngSize(outcome.Artifacts[1].Data));
        Assert.Equal(0, ImageHeaders.PngTopLeftAlpha(outcome.Artifacts[1].Data));
        Assert.Equal(255, ImageHeaders.PngTopLeftAlpha(outcome.Artifacts[0].Data));
        Assert.Equal((TestSite.BoxWidth * 2, TestSite.BoxHeight * 2), ImageHeaders.JpegSize(outcome.Artifacts[2].Data));
    }

    [Fact]
    public async Task Pdf_defaults_to_letter()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/document"), new JobAction { Action = "pdf" }));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        (var pages, var width, var height) = PdfInspector.Inspect(Assert.Single(outcome.Artifacts).Data);
        Assert.Equal(5, pages);
        Assert.InRange(width, 611, 613);
        Assert.InRange(height, 791, 793);
    }

    [Fact]
    public async Task Evaluate_returns_json_under_its_name_or_its_index_and_awaits_promises()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/table"),
            Jobs.Evaluate("rows", "[...document.querySelectorAll('#prices tbody tr')].map(r => ({ name: r.cells[0].textContent, price: Number(r.cells[1].textContent) }))"),
            new JobAction { Action = "evaluate", Expression = "new Promise(resolve => setTimeout(() => resolve(document.title), 10))" },
            new JobAction { Action = "evaluate", Expression = "() => undefined" },
            new JobAction { Action = "evaluate", Expression = "document.querySelector('#inner').textContent", Frame = "#never", TimeoutMs = 200 }));

        Assert.Equal(JobErrorTypes.SelectorNotFound, outcome.ErrorType);
        Assert.Equal(3, outcome.FailedStepIndex);
        Assert.Equal(
            """[{"name":"Apple","price":1.2},{"name":"Banana","price":0.8},{"name":"Cherry","price":4.5}]""",
            outcome.Extracted["rows"].GetRawText());
        Assert.Equal("Prices", outcome.Extracted["evaluate-1"].GetString());
        Assert.Equal(JsonValueKind.Null, outcome.Extracted["evaluate-2"].ValueKind);
    }

    [Fact]
    public async Task Evaluate_in_a_frame_and_a_failing_expression()
    {
        var framed = await RunAsync(Jobs.For(
            _site.Url("/frame"), new JobAction { Action = "evaluate", Name = "title", Expression = "document.title", Frame = "#inner" }));
        var failing = await RunAsync(Jobs.For(_site.Url("/frame"), Jobs.Evaluate("boom", "notDefinedAnywhere.length")));

        Assert.Equal("Inner", framed.Extracted["title"].GetString());
        Assert.Equal(JobErrorTypes.ValidationError, failing.ErrorType);
        Assert.Contains("notDefinedAnywhere", failing.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_is_refused_unless_enabled()
    {
        var outcome = await fixture.ExecutorWithoutEvaluate.ExecuteAsync(
            Jobs.For(_site.Url("/page"), Jobs.Screenshot(), Jobs.Evaluate("x", "1 + 1")), CancellationToken.None);

        Assert.Equal(JobErrorTypes.ValidationError, outcome.ErrorType);
        Assert.Equal(1, outcome.FailedStepIndex);
        Assert.Contains("disabled", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(outcome.Artifacts);
    }

    [Fact]
    public async Task Popups_are_closed_and_the_job_stays_on_its_page()
    {
        var run = Guid.NewGuid().ToString("N");
        var outcome = await RunAsync(Jobs.For(
            _site.Url($"/popup?run={run}"),
            Jobs.Step("click", "getByText", "Open in a new tab"),
            Jobs.Step("click", "getBySelector", "#open"),
            Jobs.Step("waitForSelector", "getByText", "opened"),
            Jobs.Extract("state", "#state"),
            Jobs.Screenshot()));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("opened", outcome.Extracted["state"].GetString());
        Assert.Equal("Opener", outcome.Title);
        Assert.Equal(_site.Url($"/popup?run={run}"), outcome.FinalUrl);
    }

    [Fact]
    public async Task Dialogs_are_dismissed_and_downloads_refused()
    {
        var dialogs = await RunAsync(Jobs.For(_site.Url("/dialogs"), Jobs.Step("click", "getBySelector", "#ask"), Jobs.Extract("answer", "#answer")));
        var download = await RunAsync(Jobs.For(_site.Url("/download"), Jobs.Step("click", "getByText", "Get the file"), Jobs.Extract("after", "#after")));

        Assert.True(dialogs.Succeeded, dialogs.ErrorMessage);
        Assert.Equal("dismissed", dialogs.Extracted["answer"].GetString());
        Assert.True(download.Succeeded, download.ErrorMessage);
        Assert.Equal("still here", download.Extracted["after"].GetString());
        Assert.Empty(download.Artifacts);
    }

    [Fact]
    public async Task An_unknown_key_or_filling_a_non_input_is_validation_error()
    {
        var key = await RunAsync(Jobs.For(_site.Url("/login"), new JobAction { Action = "press", Value = "NotAKey" }));
        var fill = await RunAsync(Jobs.For(_site.Url("/login"), Jobs.Step("fill", "getBySelector", "h1") with { Value = "x" }));

        Assert.Equal(JobErrorTypes.ValidationError, key.ErrorType);
        Assert.Contains("Unknown key", key.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(JobErrorTypes.ValidationError, fill.ErrorType);
        Assert.Contains("not an <input>", fill.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Goto_updates_the_http_status_and_final_url()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/page"), new JobAction { Action = "goto", Value = _site.Url("/status/404") }));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal(404, outcome.HttpStatus);
        Assert.Equal(_site.Url("/status/404"), outcome.FinalUrl);
        Assert.Equal("Status 404", outcome.Title);
    }

    [Fact]
    public async Task Several_matches_for_a_single_element_action_fail_saying_how_many()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/table"), Jobs.Step("click", "getBySelector", ".item")));
        var withNth = await RunAsync(Jobs.For(_site.Url("/table"), Jobs.Step("click", "getBySelector", ".item") with { Nth = 0 }));

        Assert.Equal(JobErrorTypes.ValidationError, outcome.ErrorType);
        Assert.Equal(0, outcome.FailedStepIndex);
        Assert.Contains("matched 3 elements", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(outcome.Artifacts, a => a.ArtifactType == "failure-screenshot");
        Assert.True(withNth.Succeeded, withNth.ErrorMessage);
    }

    [Fact]
    public async Task Missing_target_fails_fast_with_the_default_target_timeout_not_the_job_timeout()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/page"), Jobs.Step("click", "getByRole", "button") with { Name = "Nowhere" }) with
        {
            TimeoutMs = 120_000,
        });

        Assert.Equal(JobErrorTypes.SelectorNotFound, outcome.ErrorType);
        Assert.Contains("getByRole('button') named 'Nowhere'", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains($"{fixture.Options.TargetTimeoutMs} ms", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(outcome.Artifacts, a => a.ArtifactType == "failure-screenshot");
    }

    public static TheoryData<JobAction, string> InvalidSteps => new()
    {
        { new JobAction { Action = "click" }, "actions[1].target: click needs a target" },
        { Jobs.Step("click", "getByMagic", "x"), "Unknown getTargetBy 'getByMagic'" },
        { Jobs.Step("click", "getByRole", "buttonish"), "not an ARIA role" },
        { Jobs.Step("click", "getBySelector", "a") with { Nth = -1 }, "nth" },
        { Jobs.Step("fill", "getBySelector", "#user"), "needs a value" },
        { Jobs.Step("type", "getBySelector", "#user") with { Value = "x", Delay = -5 }, "delay" },
        { new JobAction { Action = "press" }, "needs a key" },
        { Jobs.Step("select", "getBySelector", "#country"), "needs a value or a non-empty values list" },
        { Jobs.Step("select", "getBySelector", "#country") with { Value = "fr", Values = ["de"] }, "not both" },
        { new JobAction { Action = "scroll" }, "needs a target, or x and/or y" },
        { new JobAction { Action = "wait" }, "milliseconds" },
        { Jobs.Step("waitForSelector", "getBySelector", "#x") with { State = "sometimes" }, "state must be one of: visible, attached, hidden, detached" },
        { new JobAction { Action = "waitForLoadState", State = "idle" }, "state must be one of: load, domcontentloaded, networkidle" },
        { Jobs.Screenshot(format: "gif"), "actions[1].format: format must be one of: png, jpeg" },
        { Jobs.Screenshot(format: "jpeg") with { OmitBackground = true }, "omitBackground needs png" },
        { Jobs.Screenshot(target: "#box") with { Clip = new BrowserAutomation.Contracts.Clip(0, 0, 10, 10) }, "takes no clip" },
        { new JobAction { Action = "pdf", Format = "A9" }, "pdf format must be one of" },
        { new JobAction { Action = "pdf", Scale = 3 }, "scale" },
        { new JobAction { Action = "pdf", Margin = new PdfMargin(Top: "lots") }, "margin.top" },
        { new JobAction { Action = "pdf", PageRanges = "first" }, "pageRanges" },
        { Jobs.Extract(" ", "#x"), "needs a name" },
        { new JobAction { Action = "evaluate" }, "needs a JavaScript expression" },
        { new JobAction { Action = "goto", Url = "ftp://example.com/" }, "Must be an absolute http or https URL" },
        { new JobAction { Action = "teleport" }, "Unknown action 'teleport'" },
        { Jobs.Screenshot(timeoutMs: 0), "timeoutMs must be between 1 and" },
    };

    [Theory]
    [MemberData(nameof(InvalidSteps))]
    public async Task Invalid_steps_are_refused_before_any_browser_work_naming_the_step(JobAction invalid, string message)
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/page"), Jobs.Screenshot(), invalid));

        Assert.Contains(outcome.ErrorType, new[] { JobErrorTypes.ValidationError, JobErrorTypes.UrlBlocked });
        Assert.Equal(1, outcome.FailedStepIndex);
        Assert.Contains(message, outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(outcome.Artifacts);
        Assert.Equal("failed", Assert.Single(outcome.Steps).Status);
    }

    [Fact]
    public async Task Two_steps_returning_the_same_name_are_refused()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/page"), Jobs.Extract("x", "h1"), Jobs.Evaluate("x", "1")));

        Assert.Equal(JobErrorTypes.ValidationError, outcome.ErrorType);
        Assert.Equal(1, outcome.FailedStepIndex);
        Assert.Contains("'x'", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    private Task<JobExecutionOutcome> RunAsync(JobRequested job) =>
        fixture.Executor.ExecuteAsync(job, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(static e => e.GetString() ?? "<null>").ToArray();
}
