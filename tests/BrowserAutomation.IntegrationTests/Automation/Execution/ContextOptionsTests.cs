using BrowserAutomation.Automation;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.IntegrationTests.Automation.Execution;

/// <summary>Job-level options (device, locale, headers, cookies, credentials, JavaScript) as the page sees them, on Chromium.</summary>
public sealed class ContextOptionsTests(ChromiumPoolFixture fixture) : IClassFixture<ChromiumPoolFixture>
{
    private readonly TestSite _site = fixture.Site;

    private static readonly JobAction[] DeviceFacts =
    [
        Jobs.Extract("ua", "#ua"),
        Jobs.Extract("width", "#width"),
        Jobs.Extract("dpr", "#dpr"),
        Jobs.Extract("touch", "#touch"),
    ];

    [Theory]
    [InlineData("Pixel 7", "Pixel 7", "412", "2.625")]
    [InlineData("iPhone 13", "iPhone", "390", "3")]
    public async Task Device_emulation_reports_the_mobile_viewport_and_user_agent_inside_the_page(string device, string userAgent, string width, string dpr)
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/device"), DeviceFacts) with
        {
            Viewport = null,
            Options = new JobOptions { Device = device },
        });

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Contains(userAgent, outcome.Extracted["ua"].GetString(), StringComparison.Ordinal);
        Assert.Equal(width, outcome.Extracted["width"].GetString());
        Assert.Equal(dpr, outcome.Extracted["dpr"].GetString());
        Assert.Equal("true", outcome.Extracted["touch"].GetString());
    }

    [Fact]
    public async Task Explicit_viewport_user_agent_and_scale_override_the_device()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/device"), DeviceFacts) with
        {
            Viewport = new Viewport(500, 400),
            UserAgent = "CustomAgent/1.0",
            Options = new JobOptions { Device = "Pixel 7", DeviceScaleFactor = 1 },
        });

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("CustomAgent/1.0", outcome.Extracted["ua"].GetString());
        Assert.Equal("500", outcome.Extracted["width"].GetString());
        Assert.Equal("1", outcome.Extracted["dpr"].GetString());
        Assert.Equal("true", outcome.Extracted["touch"].GetString());
    }

    [Fact]
    public async Task Locale_timezone_and_color_scheme_reach_the_page()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/device"),
            Jobs.Extract("language", "#language"),
            Jobs.Extract("timezone", "#timezone"),
            Jobs.Extract("scheme", "#scheme"),
            new JobAction { Action = "goto", Url = _site.Url("/echo") },
            Jobs.Extract("acceptLanguage", "#accept-language")) with
        {
            Options = new JobOptions { Locale = "de-DE", TimezoneId = "Asia/Tokyo", ColorScheme = "dark" },
        });

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("de-DE", outcome.Extracted["language"].GetString());
        Assert.Equal("Asia/Tokyo", outcome.Extracted["timezone"].GetString());
        Assert.Equal("dark", outcome.Extracted["scheme"].GetString());
        Assert.StartsWith("de-DE", outcome.Extracted["acceptLanguage"].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extra_headers_and_cookies_are_sent()
    {
        var outcome = await RunAsync(Jobs.For(
            _site.Url("/echo"),
            Jobs.Extract("header", "#header"),
            Jobs.Extract("cookie", "#cookie")) with
        {
            Options = new JobOptions
            {
                ExtraHttpHeaders = new Dictionary<string, string> { ["X-Test"] = "hello" },
                Cookies =
                [
                    new JobCookie { Name = "session", Value = "abc", Url = _site.Url("/") },
                    new JobCookie { Name = "theme", Value = "dark", Domain = "127.0.0.1", Path = "/", SameSite = "Lax" },
                ],
            },
        });

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("hello", outcome.Extracted["header"].GetString());
        var cookies = outcome.Extracted["cookie"].GetString()!;
        Assert.Contains("session=abc", cookies, StringComparison.Ordinal);
        Assert.Contains("theme=dark", cookies, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_credentials_answer_the_basic_auth_challenge()
    {
        var denied = await RunAsync(Jobs.For(_site.Url("/auth"), Jobs.Screenshot()));
        var allowed = await RunAsync(Jobs.For(_site.Url("/auth"), Jobs.Extract("who", "#who")) with
        {
            Options = new JobOptions { HttpCredentials = new BrowserAutomation.Contracts.HttpCredentials(TestSite.BasicUser, TestSite.BasicPassword) },
        });

        Assert.True(denied.Succeeded, denied.ErrorMessage);
        Assert.Equal(401, denied.HttpStatus);
        Assert.True(allowed.Succeeded, allowed.ErrorMessage);
        Assert.Equal(200, allowed.HttpStatus);
        Assert.Equal($"Authorized as {TestSite.BasicUser}", allowed.Extracted["who"].GetString());
    }

    [Fact]
    public async Task JavaScript_can_be_disabled()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/device"), Jobs.Extract("ua", "#ua"), Jobs.Extract("noscript", "#noscript")) with
        {
            Options = new JobOptions { JavaScriptEnabled = false },
        });

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal(string.Empty, outcome.Extracted["ua"].GetString());
        Assert.Equal("JavaScript is off", outcome.Extracted["noscript"].GetString());
    }

    [Fact]
    public async Task Blocking_stylesheets_also_blocks_what_they_would_load()
    {
        var run = Guid.NewGuid().ToString("N");
        var outcome = await RunAsync(Jobs.For(_site.Url($"/assets?run={run}"), Jobs.Screenshot()) with
        {
            Options = new JobOptions { BlockResources = ["stylesheet"] },
        });

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal(0, _site.Requests("/asset/style.css", run));
        Assert.Equal(0, _site.Requests("/asset/font.woff2", run));
        Assert.Equal(1, _site.Requests("/asset/img.png", run));
    }

    public static TheoryData<JobOptions, string> InvalidOptions => new()
    {
        { new JobOptions { Locale = "not a locale" }, "options.locale" },
        { new JobOptions { TimezoneId = "Mars Base" }, "options.timezoneId" },
        { new JobOptions { ColorScheme = "sepia" }, "options.colorScheme" },
        { new JobOptions { ExtraHttpHeaders = new Dictionary<string, string> { ["Bad Header"] = "x" } }, "options.extraHttpHeaders" },
        { new JobOptions { Cookies = [new JobCookie { Name = "a", Value = "b" }] }, "options.cookies[0]" },
        { new JobOptions { Cookies = [new JobCookie { Name = "a", Value = "b", Url = "http://x/", SameSite = "Sometimes" }] }, "options.cookies[0].sameSite" },
        { new JobOptions { BlockResources = ["document"] }, "cannot block 'document'" },
        { new JobOptions { BlockResources = ["pictures"] }, "unknown resource type 'pictures'" },
        { new JobOptions { DeviceScaleFactor = 9 }, "options.deviceScaleFactor" },
        { new JobOptions { Device = "Nokia 3310" }, "unknown device 'Nokia 3310'" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task Invalid_options_are_refused_before_any_browser_work(JobOptions options, string message)
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/page"), Jobs.Screenshot()) with { Options = options });

        Assert.Equal(JobErrorTypes.ValidationError, outcome.ErrorType);
        Assert.Null(outcome.FailedStepIndex);
        Assert.Contains(message, outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(outcome.Steps);
    }

    [Fact]
    public async Task A_time_zone_the_browser_does_not_know_is_validation_error()
    {
        var outcome = await RunAsync(Jobs.For(_site.Url("/page"), Jobs.Screenshot()) with { Options = new JobOptions { TimezoneId = "Mars/Olympus_Mons" } });

        Assert.Equal(JobErrorTypes.ValidationError, outcome.ErrorType);
        Assert.Contains("options.timezoneId", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_firefox_or_webkit_cannot_do_is_refused_before_any_browser_work()
    {
        var job = Jobs.For(
            _site.Url("/page"),
            Jobs.Screenshot() with { OmitBackground = true },
            new JobAction { Action = "pdf" }) with
        {
            Options = new JobOptions { Device = "Pixel 7", ColorScheme = "dark", JavaScriptEnabled = false },
        };

        Assert.Empty(EngineCapabilities.Check(BrowserEngines.Chromium, job));
        Assert.Equal(
            ["options.device", "options.colorScheme", "options.javaScriptEnabled", "actions[0].omitBackground"],
            EngineCapabilities.Check(BrowserEngines.Firefox, job).Select(p => p.Path));
        var webkit = Assert.Single(EngineCapabilities.Check(BrowserEngines.WebKit, job));
        Assert.Equal((1, "action", "actions[1].action"), (webkit.StepIndex, webkit.Field, webkit.Path));
        Assert.Empty(EngineCapabilities.Check(BrowserEngines.Firefox, job with { Options = new JobOptions { Device = "Desktop Firefox", ColorScheme = "light" }, Actions = [] }));

        // The executor applies the same check first, whichever pool it runs on.
        var outcome = await RunAsync(job with { Engine = BrowserEngines.Firefox });
        Assert.Equal(JobErrorTypes.ValidationError, outcome.ErrorType);
        Assert.Contains("options.device", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_catalog_matches_the_drivers_descriptors()
    {
        var playwright = await fixture.Pool.GetPlaywrightAsync();

        Assert.Equal(playwright.Devices.Keys.Order(StringComparer.Ordinal), DeviceCatalog.All.Order(StringComparer.Ordinal));
        Assert.All(playwright.Devices, d =>
        {
            Assert.Equal(d.Value.IsMobile == true, DeviceCatalog.IsMobile(d.Key));
            Assert.Equal(d.Value.HasTouch == true, DeviceCatalog.IsMobile(d.Key));
        });
    }

    private Task<JobExecutionOutcome> RunAsync(JobRequested job) =>
        fixture.Executor.ExecuteAsync(job, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
}
