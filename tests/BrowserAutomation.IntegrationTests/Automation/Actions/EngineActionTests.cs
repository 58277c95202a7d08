using System.Text.Json;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Xunit.Abstractions;

namespace BrowserAutomation.IntegrationTests.Automation.Actions;

/// <summary>What every engine must do the same way: forms, frames, shadow DOM, extraction, PDF, resource blocking.</summary>
public abstract class EngineActionTests(PoolFixture fixture, ITestOutputHelper output)
{
    protected PoolFixture Fixture { get; } = fixture;

    protected TestSite Site => Fixture.Site;

    [Fact]
    public async Task Multi_step_login_form_fills_by_label_and_selector_clicks_by_text_waits_extracts_and_screenshots()
    {
        var outcome = await RunAsync(Jobs.For(
            Site.Url("/login"),
            Jobs.Step("fill", "getByLabel", "Username") with { Value = "Ada" },
            Jobs.Step("fill", "getBySelector", "#password") with { Value = "correct horse", Sensitive = true },
            Jobs.Step("select", "getByLabel", "Country") with { Value = "Germany" },
            Jobs.Step("check", "getByLabel", "Remember me"),
            Jobs.Step("click", "getByText", "Sign in"),
            new JobAction { Action = "wait", Milliseconds = 50 },
            Jobs.Step("waitForSelector", "getBySelector", "#greeting"),
            Jobs.Extract("greeting", "#greeting"),
            Jobs.Extract("country", "#facts", attribute: "data-country"),
            Jobs.Extract("remember", "#facts", attribute: "data-remember"),
            Jobs.Screenshot()) with { Viewport = new Viewport(320, 240) });

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal("Welcome, Ada!", outcome.Extracted["greeting"].GetString());
        Assert.Equal("de", outcome.Extracted["country"].GetString());
        Assert.Equal("yes", outcome.Extracted["remember"].GetString());
        Assert.Equal(TestPages.WelcomeTitle, outcome.Title);
        Assert.Equal(Site.Url("/welcome"), outcome.FinalUrl);
        Assert.All(outcome.Steps, s => Assert.Equal("completed", s.Status));
        Assert.Equal(11, outcome.Steps.Count);
        var shot = Assert.Single(outcome.Artifacts);
        Assert.Equal(("screenshot.png", 10), (shot.FileName, shot.StepIndex));
        Assert.Equal((320, 240), ImageHeaders.PngSize(shot.Data));
    }

    [Fact]
    public async Task Pdf_is_a_valid_multi_page_a4_document_and_landscape_and_page_ranges_apply()
    {
        var outcome = await RunAsync(Jobs.For(
            Site.Url("/document"),
            new JobAction { Action = "pdf", Format = "A4", PrintBackground = true, Margin = new PdfMargin("1cm", "10mm", "0.5in", "20px") },
            new JobAction { Action = "pdf", Format = "a4", Landscape = true, PageRanges = "1-2", Scale = 0.8 }));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Collection(
            outcome.Artifacts,
            first =>
            {
                Assert.Equal(("pdf", "document.pdf", "application/pdf", 0), (first.ArtifactType, first.FileName, first.MimeType, first.StepIndex));
                (var pages, var width, var height) = PdfInspector.Inspect(first.Data);
                output.WriteLine($"{Fixture.Engine} A4: {pages} pages, {width} x {height} pt");
                Assert.Equal(5, pages);
                // A4 is 595.3 x 841.9 pt; engines round differently.
                Assert.InRange(width, 594, 597);
                Assert.InRange(height, 841, 843);
            },
            second =>
            {
                Assert.Equal(("document-1.pdf", 1), (second.FileName, second.StepIndex));
                (var pages, var width, var height) = PdfInspector.Inspect(second.Data);
                Assert.Equal(2, pages);
                Assert.InRange(width, 841, 843);
                Assert.InRange(height, 594, 597);
            });
    }

    [Fact]
    public async Task Blocked_resource_types_are_not_fetched_in_the_page_its_stylesheets_or_its_frames()
    {
        var open = Guid.NewGuid().ToString("N");
        var blocked = Guid.NewGuid().ToString("N");

        var control = await RunAsync(Jobs.For(Site.Url($"/assets?run={open}"), Jobs.Screenshot()));
        var outcome = await RunAsync(Jobs.For(Site.Url($"/assets?run={blocked}"), Jobs.Screenshot()) with
        {
            Options = new JobOptions { BlockResources = ["image", "font"] },
        });

        Assert.True(control.Succeeded, control.ErrorMessage);
        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        string[] images = ["/asset/img.png", "/asset/bg.png", "/asset/frame-img.png"];
        // Without blocking the page fetches everything, so the zeros below mean something.
        Assert.All(images.Append("/asset/font.woff2"), path => Assert.True(Site.Requests(path, open) >= 1, $"{path} was not fetched without blocking"));
        Assert.All(images.Append("/asset/font.woff2"), path => Assert.Equal(0, Site.Requests(path, blocked)));
        Assert.True(Site.Requests("/asset/style.css", blocked) >= 1, "the stylesheet must still load");
        Assert.True(Site.Requests("/asset/frame.html", blocked) >= 1, "the frame must still load");
    }

    [Fact]
    public async Task Frames_and_shadow_dom_are_reachable()
    {
        var framed = await RunAsync(Jobs.For(
            Site.Url("/frame"),
            Jobs.Step("fill", "getByLabel", "Code") with { Frame = "#inner", Value = "X1" },
            Jobs.Step("click", "getByRole", "button") with { Frame = "#inner", RoleName = "Apply" },
            Jobs.Extract("out", "#out") with { Frame = "#inner" },
            Jobs.Extract("outside", "p")));
        var shadow = await RunAsync(Jobs.For(
            Site.Url("/shadow"),
            Jobs.Step("click", "getByRole", "button") with { Name = "Increment" },
            Jobs.Step("click", "getBySelector", "#inc"),
            Jobs.Step("click", "getByText", "Increment"),
            Jobs.Extract("count", "#count")));

        Assert.True(framed.Succeeded, framed.ErrorMessage);
        Assert.Equal("Code X1", framed.Extracted["out"].GetString());
        Assert.Equal("Outside the frame", framed.Extracted["outside"].GetString());
        Assert.True(shadow.Succeeded, shadow.ErrorMessage);
        Assert.Equal("3", shadow.Extracted["count"].GetString());
    }

    [Fact]
    public async Task Extract_reads_one_value_or_every_match()
    {
        var outcome = await RunAsync(Jobs.For(
            Site.Url("/table"),
            Jobs.Extract("prices", "#prices td.price", multiple: true),
            Jobs.Extract("links", "#prices a", attribute: "href", multiple: true),
            Jobs.Extract("second", "#prices tbody tr:nth-child(2) td.price"),
            Jobs.Extract("rich", "#rich", attribute: "innerHTML"),
            Jobs.Extract("richText", "#rich", attribute: "innerText"),
            Jobs.Extract("items", ".item", multiple: true),
            Jobs.Extract("secondItem", ".item") with { Nth = 1 },
            Jobs.Extract("missing", "#prices", attribute: "data-missing")));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal(["1.20", "0.80", "4.50"], Strings(outcome.Extracted["prices"]));
        Assert.Equal(["/products/apple", "/products/banana", "/products/cherry"], Strings(outcome.Extracted["links"]));
        Assert.Equal("0.80", outcome.Extracted["second"].GetString());
        Assert.Equal("<b>Bold</b> and <i>italic</i>", outcome.Extracted["rich"].GetString());
        Assert.Equal("Bold and italic", outcome.Extracted["richText"].GetString());
        Assert.Equal(["One", "Two", "Hidden"], Strings(outcome.Extracted["items"]));
        Assert.Equal("Two", outcome.Extracted["secondItem"].GetString());
        Assert.Equal(JsonValueKind.Null, outcome.Extracted["missing"].ValueKind);
    }

    [Fact]
    public async Task Element_screenshot_has_the_element_size()
    {
        var outcome = await RunAsync(Jobs.For(Site.Url("/page"), Jobs.Screenshot(target: "#box")));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal((TestSite.BoxWidth, TestSite.BoxHeight), ImageHeaders.PngSize(Assert.Single(outcome.Artifacts).Data));
    }

    protected Task<JobExecutionOutcome> RunAsync(JobRequested job, JobExecutor? executor = null) =>
        (executor ?? Fixture.Executor).ExecuteAsync(job with { Engine = Fixture.Engine }, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

    protected static string[] Strings(JsonElement array) => array.EnumerateArray().Select(static e => e.GetString() ?? "<null>").ToArray();
}

public sealed class ChromiumEngineActionTests(ChromiumPoolFixture fixture, ITestOutputHelper output)
    : EngineActionTests(fixture, output), IClassFixture<ChromiumPoolFixture>;

/// <summary>Debian's firefox-esr over WebDriver BiDi: the same actions, plus the refusals for what it cannot do.</summary>
public sealed class FirefoxEngineActionTests(FirefoxPoolFixture fixture, ITestOutputHelper output)
    : EngineActionTests(fixture, output), IClassFixture<FirefoxPoolFixture>
{
    [Fact]
    public async Task Mobile_device_emulation_and_transparent_screenshots_are_refused_with_a_clear_message()
    {
        var device = await RunAsync(Jobs.For(Site.Url("/device"), Jobs.Screenshot()) with
        {
            Viewport = null,
            Options = new JobOptions { Device = "Pixel 7" },
        });
        var omit = await RunAsync(Jobs.For(Site.Url("/page"), Jobs.Screenshot(), Jobs.Screenshot() with { OmitBackground = true }));

        Assert.Equal(JobErrorTypes.ValidationError, device.ErrorType);
        Assert.Contains("options.device", device.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("isMobile", device.ErrorMessage, StringComparison.Ordinal);
        Assert.Null(device.FailedStepIndex);
        Assert.Equal(JobErrorTypes.ValidationError, omit.ErrorType);
        Assert.Equal(1, omit.FailedStepIndex);
        Assert.Contains("actions[1].omitBackground", omit.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(omit.Artifacts);
    }

    [Fact]
    public async Task Desktop_device_descriptor_works()
    {
        var outcome = await RunAsync(Jobs.For(Site.Url("/device"), Jobs.Extract("ua", "#ua"), Jobs.Extract("width", "#width")) with
        {
            Viewport = null,
            Options = new JobOptions { Device = "Desktop Firefox" },
        });

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Contains("Firefox", outcome.Extracted["ua"].GetString(), StringComparison.Ordinal);
        Assert.Equal("1280", outcome.Extracted["width"].GetString());
    }
}
