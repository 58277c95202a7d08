using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;

namespace BrowserAutomation.UnitTests.Api.Jobs;

/// <summary>The one action model: every action, targets, per-action fields, enums, conflicts and job-level options.</summary>
public sealed class ActionModelValidationTests
{
    private static SubmitJob Steps(params JobAction[] actions) => new() { BrowserTypeId = 1, Url = "https://example.com", Actions = actions };

    private static Dictionary<string, string[]> ErrorsOf(SubmitJob request, bool evaluateEnabled = false) =>
        JobRequestValidator.Validate(request, evaluateEnabled).Errors;

    private static string[] Keys(SubmitJob request, bool evaluateEnabled = false) =>
        ErrorsOf(request, evaluateEnabled).Keys.Order(StringComparer.Ordinal).ToArray();

    private static JobAction Step(string action) => new() { Action = action };

    [Fact]
    public void A_job_using_every_kind_of_step_is_accepted()
    {
        var (job, errors) = JobRequestValidator.Validate(Steps(
            Step("goto") with { Url = "https://example.com/login", WaitUntil = "domcontentloaded" },
            Step("fill") with { Target = "Username", GetTargetBy = "getByLabel", Value = "alice" },
            Step("fill") with { Target = "#password", Value = "s3cret", Sensitive = true },
            Step("type") with { Target = "Your name", GetTargetBy = "getByPlaceholder", Value = "bob", Delay = 20 },
            Step("press") with { Value = "Enter" },
            Step("select") with { Target = "Country", GetTargetBy = "getByLabel", Value = "de" },
            Step("select") with { Target = "#languages", Values = ["en", "fr"] },
            Step("check") with { Target = "remember", GetTargetBy = "getByTestId" },
            Step("uncheck") with { Target = "Newsletter", GetTargetBy = "getByText", Exact = true },
            Step("hover") with { Target = "Company logo", GetTargetBy = "getByAltText" },
            Step("scroll") with { Y = 500 },
            Step("scroll") with { Target = "#bottom" },
            Step("click") with { Target = "button", GetTargetBy = "getByRole", RoleName = "Sign in", TimeoutMs = 2_000 },
            Step("wait") with { Milliseconds = 100 },
            Step("waitForSelector") with { Target = "#greeting", State = "attached" },
            Step("waitForLoadState") with { State = "networkidle" },
            Step("screenshot") with { FullPage = true },
            Step("screenshot") with { Target = "Login heading", GetTargetBy = "getByTitle", Format = "jpeg", Quality = 70 },
            Step("screenshot") with { Clip = new Clip(0, 0, 100, 50), OmitBackground = true },
            Step("pdf") with { Format = "A4", Landscape = true, PrintBackground = true, Margin = new PdfMargin("1cm", "10mm", "0.5in", "12px"), Scale = 0.8, PageRanges = "1-2, 4" },
            Step("extract") with { Name = "greeting", Target = "#greeting" },
            Step("extract") with { Name = "links", Target = "a", Attribute = "href", Multiple = true },
            Step("extract") with { Name = "inner", Target = "td", Frame = "#prices-frame", Nth = 1, Attribute = "innerHTML" },
            Step("evaluate") with { Expression = "document.title", Name = "title" }), evaluateEnabled: true);

        Assert.Empty(errors);
        Assert.Equal(24, job!.Actions.Count);
        // Canonical names from the catalogue; an action added later needs no change here (ActionCatalogTests covers every entry).
        Assert.Subset(ActionCatalog.Names.ToHashSet(), job.Actions.Select(a => a.Action).ToHashSet());
        Assert.Equal(17, job.Actions.Select(a => a.Action).Distinct().Count());
        Assert.True(job.Actions[2].Sensitive);
    }

    [Fact]
    public void Names_and_enum_values_are_matched_case_insensitively_and_stored_in_their_canonical_spelling()
    {
        var (job, errors) = JobRequestValidator.Validate(Steps(
            Step("WaitForSelector") with { Target = "#a", GetTargetBy = "getbyselector", State = "VISIBLE" },
            Step("CLICK") with { Target = "Button", GetTargetBy = "GETBYROLE" },
            Step("screenshot") with { Format = "JPEG" },
            Step("pdf") with { Format = "a4" },
            Step("extract") with { Name = "x", Target = "p", Attribute = "innertext" }) with { WaitUntil = "NetworkIdle" });

        Assert.Empty(errors);
        Assert.Equal(["waitForSelector", "click", "screenshot", "pdf", "extract"], job!.Actions.Select(a => a.Action));
        Assert.Equal(("getBySelector", "visible"), (job.Actions[0].GetTargetBy, job.Actions[0].State));
        Assert.Equal(("getByRole", "button"), (job.Actions[1].GetTargetBy, job.Actions[1].Target));
        Assert.Equal("jpeg", job.Actions[2].Format);
        Assert.Equal("A4", job.Actions[3].Format);
        Assert.Equal("innerText", job.Actions[4].Attribute);
        Assert.Equal("networkidle", job.WaitUntil);
    }

    [Theory]
    [InlineData("click")]
    [InlineData("fill")]
    [InlineData("type")]
    [InlineData("select")]
    [InlineData("check")]
    [InlineData("uncheck")]
    [InlineData("hover")]
    [InlineData("waitForSelector")]
    [InlineData("extract")]
    public void Actions_on_an_element_need_a_target(string action)
    {
        var errors = ErrorsOf(Steps(Step("wait") with { Milliseconds = 1 }, Step(action) with { Value = "v", Name = "n" }));
        Assert.Contains("actions[1].target", errors.Keys);
        Assert.Contains(action, errors["actions[1].target"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("goto")]
    [InlineData("wait")]
    [InlineData("waitForLoadState")]
    [InlineData("pdf")]
    [InlineData("evaluate")]
    public void Actions_without_an_element_refuse_a_target(string action)
    {
        var step = Step(action) with { Target = "#x", Url = "https://example.com", Milliseconds = 1, Expression = "1" };
        Assert.Contains("actions[0].target", Keys(Steps(step), evaluateEnabled: true));
    }

    [Fact]
    public void Unknown_actions_and_target_strategies_are_named()
    {
        var errors = ErrorsOf(Steps(Step("teleport"), Step("click") with { Target = "x", GetTargetBy = "getByMagic" }));
        Assert.Equal(["actions[0].action", "actions[1].getTargetBy"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("getByAltText", errors["actions[1].getTargetBy"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void GetByRole_takes_an_ARIA_role_and_roleName_goes_with_it_only()
    {
        Assert.Equal(["actions[0].target"], Keys(Steps(Step("click") with { Target = "Sign in", GetTargetBy = "getByRole" })));
        Assert.Empty(Keys(Steps(Step("click") with { Target = "link", GetTargetBy = "getByRole", Name = "Home", Exact = true })));
        Assert.Equal(["actions[0].roleName"], Keys(Steps(Step("click") with { Target = "Sign in", GetTargetBy = "getByText", RoleName = "x" })));
    }

    [Fact]
    public void Target_options_are_checked()
    {
        Assert.Equal(
            ["actions[0].nth", "actions[1].frame", "actions[2].exact", "actions[3].exact"],
            Keys(Steps(
                Step("click") with { Target = "a", Nth = -1 },
                Step("click") with { Target = "a", Frame = " " },
                Step("click") with { Target = "a", Exact = true },
                Step("click") with { Target = "a", GetTargetBy = "getByTestId", Exact = false })));
        Assert.Empty(Keys(Steps(Step("click") with { Target = "a", Nth = 0, Frame = "iframe#f" })));
    }

    [Fact]
    public void Target_options_without_a_target_are_refused()
    {
        Assert.Equal(["actions[0].target", "actions[1].nth"],
            Keys(Steps(Step("press") with { Value = "Enter", GetTargetBy = "getByLabel" }, Step("wait") with { Milliseconds = 1, Nth = 2 })));
    }

    [Fact]
    public void A_step_timeout_stays_within_the_job_timeout()
    {
        var request = Steps(Step("click") with { Target = "a", TimeoutMs = 5_000 }, Step("click") with { Target = "a", TimeoutMs = 0 }) with { TimeoutMs = 4_000 };
        var errors = ErrorsOf(request);
        Assert.Equal(["actions[0].timeoutMs", "actions[1].timeoutMs"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("4000", errors["actions[0].timeoutMs"][0], StringComparison.Ordinal);
        Assert.Empty(ErrorsOf(request with { TimeoutMs = 5_000, Actions = [Step("click") with { Target = "a", TimeoutMs = 5_000 }] }));
    }

    [Fact]
    public void Values_each_action_needs()
    {
        Assert.Equal(
            ["actions[0].value", "actions[2].value", "actions[3].delay", "actions[4].value", "actions[5].values", "actions[6].value", "actions[7].values"],
            Keys(Steps(
                Step("fill") with { Target = "#a" },
                Step("fill") with { Target = "#a", Value = "" },
                Step("type") with { Target = "#a", Value = "" },
                Step("type") with { Target = "#a", Value = "x", Delay = 10_001 },
                Step("press") with { Target = "#a" },
                Step("select") with { Target = "#a", Value = "x", Values = ["y"] },
                Step("select") with { Target = "#a", Values = [] },
                Step("select") with { Target = "#a", Values = ["a", null!] })));
    }

    [Fact]
    public void Scroll_takes_a_target_or_pixels()
    {
        Assert.Equal(["actions[0].target", "actions[1].x"],
            Keys(Steps(Step("scroll"), Step("scroll") with { Target = "#a", X = 10 })));
        Assert.Empty(Keys(Steps(Step("scroll") with { X = -100 })));
    }

    [Fact]
    public void Waits_are_bounded_and_states_are_enums()
    {
        var errors = ErrorsOf(Steps(
            Step("wait") with { Milliseconds = 31_000 },
            Step("wait") with { Milliseconds = -1 },
            Step("waitForSelector") with { Target = "#a", State = "gone" },
            Step("waitForLoadState") with { State = "visible" },
            Step("goto") with { Url = "https://example.com", WaitUntil = "soon" }));
        Assert.Equal(["actions[0].milliseconds", "actions[1].milliseconds", "actions[2].state", "actions[3].state", "actions[4].waitUntil"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("detached", errors["actions[2].state"][0], StringComparison.Ordinal);
        Assert.Contains("domcontentloaded", errors["actions[3].state"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Goto_needs_an_http_url_in_url_or_value()
    {
        Assert.Equal(["actions[0].url", "actions[1].value", "actions[2].url"],
            Keys(Steps(Step("goto"), Step("goto") with { Value = "file:///etc/passwd" }, Step("goto") with { Url = "javascript:alert(1)" })));
        Assert.Empty(Keys(Steps(Step("goto") with { Value = "http://example.com:8080/next" })));
    }

    [Fact]
    public void Screenshot_options_that_conflict_are_refused()
    {
        var errors = ErrorsOf(Steps(
            Step("screenshot") with { FullPage = true, Clip = new Clip(0, 0, 10, 10) },
            Step("screenshot") with { Target = "#box", FullPage = true },
            Step("screenshot") with { Target = "#box", Clip = new Clip(0, 0, 10, 10) },
            Step("screenshot") with { Quality = 80 },
            Step("screenshot") with { Format = "jpeg", OmitBackground = true },
            Step("screenshot") with { Clip = new Clip(0, 0, 0, 10) },
            Step("screenshot") with { Format = "gif" },
            Step("screenshot") with { Format = "jpeg", Quality = 101 }));
        Assert.Equal(
            ["actions[0].fullPage", "actions[1].fullPage", "actions[2].clip", "actions[3].quality", "actions[4].omitBackground", "actions[5].clip",
             "actions[6].format", "actions[7].quality"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Pdf_options_are_checked()
    {
        Assert.Equal(["actions[0].format", "actions[0].margin.left", "actions[0].pageRanges", "actions[0].scale"],
            Keys(Steps(Step("pdf") with { Format = "A9", Scale = 3, Margin = new PdfMargin(Top: "1cm", Left: "wide"), PageRanges = "first" })));
    }

    [Fact]
    public void Extract_needs_a_unique_name_and_a_real_attribute()
    {
        var errors = ErrorsOf(Steps(
            Step("extract") with { Target = "h1" },
            Step("extract") with { Target = "h1", Name = "title" },
            Step("extract") with { Target = "h2", Name = "title" },
            Step("extract") with { Target = "a", Name = "links", Attribute = "not an attribute" }));
        Assert.Equal(["actions[0].name", "actions[2].name", "actions[3].attribute"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("title", errors["actions[2].name"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_is_refused_unless_the_deployment_enables_it()
    {
        var request = Steps(Step("evaluate") with { Expression = "document.title" });
        var errors = ErrorsOf(request);
        Assert.Equal(["actions[0].action"], errors.Keys);
        Assert.Contains("EVALUATE_ENABLED", errors["actions[0].action"][0], StringComparison.Ordinal);
        Assert.Contains("trusted", errors["actions[0].action"][0], StringComparison.Ordinal);

        Assert.Empty(ErrorsOf(request, evaluateEnabled: true));
        Assert.Equal(["actions[0].expression"], Keys(Steps(Step("evaluate")), evaluateEnabled: true));
        Assert.Equal(["actions[1].name"],
            Keys(Steps(Step("extract") with { Target = "h1", Name = "evaluate-1" }, Step("evaluate") with { Expression = "1" }), evaluateEnabled: true));
    }

    [Fact]
    public void Job_level_options_are_checked_field_by_field()
    {
        var errors = ErrorsOf(Steps() with
        {
            UserAgent = "bad\nagent",
            Options = new JobOptions
            {
                Locale = "english",
                TimezoneId = "Mars/Olympus_Mons",
                ColorScheme = "sepia",
                ExtraHttpHeaders = new Dictionary<string, string> { ["Bad Header"] = "x", ["X-Ok"] = "a\r\nb" },
                Cookies =
                [
                    new JobCookie { Name = "a", Value = "1" },
                    new JobCookie { Name = "b", Value = "2", Url = "https://example.com", Path = "/x" },
                    new JobCookie { Name = "c", Value = "3", Domain = "example.com", Path = "x", SameSite = "Sometimes" },
                ],
                HttpCredentials = new HttpCredentials("", "pw"),
                BlockResources = ["image", "document", "images"],
                DeviceScaleFactor = 5,
                Device = " ",
            },
        });

        Assert.Equal(
        [
            "options.blockResources[1]", "options.blockResources[2]", "options.colorScheme", "options.cookies[0].url", "options.cookies[1].path",
            "options.cookies[2].path", "options.cookies[2].sameSite", "options.device", "options.deviceScaleFactor", "options.extraHttpHeaders",
            "options.extraHttpHeaders.X-Ok", "options.httpCredentials.username", "options.locale", "options.timezoneId", "userAgent",
        ], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Good_job_level_options_pass_through_unchanged()
    {
        var options = new JobOptions
        {
            Locale = "en-GB",
            TimezoneId = "Europe/Paris",
            ColorScheme = "dark",
            ExtraHttpHeaders = new Dictionary<string, string> { ["X-Test"] = "yes" },
            Cookies = [new JobCookie { Name = "a", Value = "1", Url = "https://example.com" }, new JobCookie { Name = "b", Value = "2", Domain = "example.com", Path = "/", SameSite = "lax" }],
            HttpCredentials = new HttpCredentials("alice", "s3cret"),
            JavaScriptEnabled = false,
            BlockResources = ["image", "font", "media"],
            DeviceScaleFactor = 2,
            Device = "Pixel 7",
        };
        var (job, errors) = JobRequestValidator.Validate(Steps() with { Options = options, UserAgent = "Custom/1.0" });
        Assert.Empty(errors);
        Assert.Same(options, job!.Options);
        Assert.Equal("Custom/1.0", job.UserAgent);
    }
}
