using System.IO.Compression;
using System.Text.Json;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.IntegrationTests.Automation.Actions;

/// <summary>Extraction of state, properties, counts, lists and tables; every assertion; traces, HAR and console capture, per engine.</summary>
public abstract class InspectionTests(PoolFixture fixture)
{
    private static readonly string[] TraceEntries = ["trace.trace", "trace.network"];

    private TestSite Site => fixture.Site;

    [Fact]
    public async Task Extract_reads_state_properties_counts_lists_and_tables_as_json()
    {
        var outcome = await RunAsync(Jobs.For(
            Site.Url("/inventory"),
            Jobs.Step("check", "getBySelector", "#agree"),
            Jobs.Step("fill", "getBySelector", "#qty") with { Value = "5" },
            Read("checked", "#agree", "state") with { State = "checked" },
            Jobs.Extract("checkedAttribute", "#agree", attribute: "checked"),
            Read("checkedProperty", "#agree", "property") with { Property = "checked" },
            Read("qty", "#qty", "property") with { Property = "value" },
            Read("kind", "#agree", "property") with { Property = "dataset.kind" },
            new JobAction { Action = "extract", Name = "lockedEnabled", Target = "#locked", State = "enabled" },
            new JobAction { Action = "extract", Name = "readonlyEditable", Target = "#readonly", State = "editable" },
            new JobAction { Action = "extract", Name = "visible", Target = "#secret, #qty", State = "visible", Multiple = true },
            Read("products", ".product", "count"),
            Read("missing", ".nothing-here", "count"),
            new JobAction
            {
                Action = "extract", Name = "list", Target = ".product", MaxItems = 3,
                Fields = new Dictionary<string, ExtractField>
                {
                    ["name"] = new() { Selector = ".name" },
                    ["price"] = new() { Selector = "xpath=./span[@class='price']" },
                    ["link"] = new() { Selector = "a", Attribute = "href" },
                    ["id"] = new() { Property = "dataset.id" },
                },
            },
            Read("firstTwo", ".product .name", "attribute") with { Multiple = true, MaxItems = 2 },
            Read("stock", "#stock", "table"),
            Read("plain", "#plain", "table")));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        var extracted = outcome.Extracted;
        Assert.True(extracted["checked"].GetBoolean());
        Assert.Equal(JsonValueKind.Null, extracted["checkedAttribute"].ValueKind);
        Assert.True(extracted["checkedProperty"].GetBoolean());
        Assert.Equal("5", extracted["qty"].GetString());
        Assert.Equal("consent", extracted["kind"].GetString());
        Assert.False(extracted["lockedEnabled"].GetBoolean());
        Assert.False(extracted["readonlyEditable"].GetBoolean());
        Assert.Equal("[true,false]", extracted["visible"].GetRawText());
        Assert.Equal(3, extracted["products"].GetInt32());
        Assert.Equal(0, extracted["missing"].GetInt32());
        Assert.Equal(
            """[{"name":"Apple","price":"1.20","link":"/p/apple","id":"1"},{"name":"Banana","price":"0.80","link":"/p/banana","id":"2"},{"name":"Cherry","price":null,"link":"/p/cherry","id":"3"}]""",
            extracted["list"].GetRawText());
        Assert.Equal("""["Apple","Banana"]""", extracted["firstTwo"].GetRawText());
        Assert.Equal("""[{"Product":"Apple","Count":"3","Count_2":"4"},{"Product":"Banana","Count":"0","Count_2":"1"}]""", extracted["stock"].GetRawText());
        Assert.Equal("""[{"column1":"a","column2":"b"},{"column1":"c","column2":"d"}]""", extracted["plain"].GetRawText());
    }

    [Fact]
    public async Task Every_assertion_kind_holds_on_a_page_that_meets_it_waiting_for_late_text()
    {
        var outcome = await RunAsync(Jobs.For(
            Site.Url("/inventory"),
            Expect("text", "#status") with { EqualTo = "Ready", TimeoutMs = 10_000 },
            Expect("text", "#heading") with { EqualTo = "Shop inventory" },
            Expect("text", "#heading") with { Contains = "SHOP", IgnoreCase = true },
            Expect("text", ".product .name", nth: 1) with { Matches = "^Ban+ana$" },
            Expect("visible", ".product"),
            Expect("hidden", "#secret"),
            Expect("count", ".product") with { Count = 3 },
            Expect("count", ".product") with { Min = 2, Max = 3 },
            Expect("url", null) with { Contains = "/inventory" },
            Expect("title", null) with { EqualTo = InspectionPages.Title },
            Expect("title", null) with { Matches = "^shop", IgnoreCase = true }));

        Assert.True(outcome.Succeeded, Outcomes.Describe(outcome));
        Assert.Equal(11, outcome.Steps.Count);
    }

    [Theory]
    [InlineData("text", "#heading", "expected text of getBySelector('#heading') to equal 'Shop', but it was 'Shop inventory'")]
    [InlineData("count", ".product", "expected count of getBySelector('.product') to be at least 4, but 3 matched")]
    [InlineData("visible", "#secret", "expected visible of getBySelector('#secret') to be visible, but it is not visible")]
    [InlineData("title", null, "expected the page title to equal 'Shop', but it was 'Shop inventory'")]
    public async Task A_failing_assertion_fails_the_job_as_assertion_failed_with_expected_actual_and_a_screenshot(string expect, string? target, string message)
    {
        var step = Expect(expect, target) with { TimeoutMs = 300 };
        step = expect == "count" ? step with { Min = 4 } : expect is "text" or "title" ? step with { EqualTo = "Shop" } : step;

        var outcome = await RunAsync(Jobs.For(Site.Url("/inventory"), Jobs.Step("check", "getBySelector", "#agree") with { TimeoutMs = 10_000 }, step));
        Assert.True(outcome.ErrorType == JobErrorTypes.AssertionFailed, outcome.ErrorMessage);

        Assert.Equal(JobErrorTypes.AssertionFailed, outcome.ErrorType);
        Assert.Contains(message, outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, outcome.FailedStepIndex);
        Assert.Equal("failed", outcome.Steps[^1].Status);
        var shot = Xunit.Assert.Single(outcome.Artifacts);
        Assert.Equal(("failure-screenshot", 1), (shot.ArtifactType, shot.StepIndex));
        Assert.True(ImageHeaders.PngSize(shot.Data).Width > 0);
    }

    [Fact]
    public async Task A_failed_attempt_with_retain_on_failure_keeps_a_playwright_trace_and_the_console_and_page_errors()
    {
        var failed = await RunAsync(Jobs.For(Site.Url("/inventory"), Expect("text", "#status") with { EqualTo = "Never", TimeoutMs = 500 }) with
        {
            Options = new JobOptions { Trace = "retain-on-failure", Har = true },
        });
        var passed = await RunAsync(Jobs.For(Site.Url("/inventory"), Expect("text", "#status") with { EqualTo = "Ready", TimeoutMs = 10_000 }) with
        {
            Options = new JobOptions { Trace = "retain-on-failure" },
        });

        Assert.Equal(JobErrorTypes.AssertionFailed, failed.ErrorType);
        var trace = Assert.Single(failed.Artifacts, a => a.ArtifactType == "trace");
        Assert.Equal(("trace.zip", "application/zip"), (trace.FileName, trace.MimeType));
        using (var zip = new ZipArchive(new MemoryStream(trace.Data.ToArray())))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.All(TraceEntries, entry => Assert.Contains(entry, names));
        }

        var har = Assert.Single(failed.Artifacts, a => a.ArtifactType == "har");
        using (var document = JsonDocument.Parse(har.Data))
        {
            var entries = document.RootElement.GetProperty("log").GetProperty("entries").EnumerateArray().ToList();
            Assert.Contains(entries, e => e.GetProperty("request").GetProperty("url").GetString()!.EndsWith("/inventory", StringComparison.Ordinal));
        }

        Assert.Contains(failed.Console, c => c is { Type: "log", Text: "inventory ready" });
        Assert.Contains(failed.Console, c => c.Type.StartsWith("warn", StringComparison.Ordinal) && c.Text == "stock low");
        Assert.Contains(failed.PageErrors, e => e.Message.Contains("inventory exploded", StringComparison.Ordinal));

        Assert.True(passed.Succeeded, passed.ErrorMessage);
        Assert.DoesNotContain(passed.Artifacts, a => a.ArtifactType == "trace");
        Assert.Contains(passed.Console, c => c.Text == "inventory ready");
    }

    private static JobAction Read(string name, string target, string read) => new() { Action = "extract", Name = name, Target = target, Read = read };

    private static JobAction Expect(string expect, string? target, int? nth = null) => new() { Action = "assert", Expect = expect, Target = target, Nth = nth };

    private Task<JobExecutionOutcome> RunAsync(JobRequested job) =>
        fixture.Executor.ExecuteAsync(job with { Engine = fixture.Engine }, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
}

public sealed class ChromiumInspectionTests(ChromiumPoolFixture fixture) : InspectionTests(fixture), IClassFixture<ChromiumPoolFixture>;

public sealed class FirefoxInspectionTests(FirefoxPoolFixture fixture) : InspectionTests(fixture), IClassFixture<FirefoxPoolFixture>;
