using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.UnitTests.Api.Jobs;

/// <summary>The extract reads, the assert step and the trace/har options, as the API checks them at submission.</summary>
public sealed class InspectionValidationTests
{
    private static SubmitJob Steps(params JobAction[] actions) => new() { BrowserTypeId = 1, Url = "https://example.com", Actions = actions };

    private static Dictionary<string, string[]> ErrorsOf(SubmitJob request) => JobRequestValidator.Validate(request).Errors;

    private static JobAction Extract(string name, string? read = null) => new() { Action = "extract", Name = name, Target = ".item", Read = read };

    private static JobAction Assert(string expect, string? target = null) => new() { Action = "assert", Expect = expect, Target = target };

    [Fact]
    public void Every_read_and_every_assertion_is_accepted_and_implied_reads_are_written_out()
    {
        var (job, errors) = JobRequestValidator.Validate(Steps(
            Extract("agreed") with { State = "Checked" },
            Extract("value") with { Property = "dataset.id" },
            Extract("values", "property") with { Property = "value", Multiple = true, MaxItems = 10 },
            Extract("count", "COUNT"),
            Extract("rows", "table") with { MaxItems = 5 },
            Extract("products") with { Fields = new Dictionary<string, ExtractField> { ["name"] = new() { Selector = ".name" }, ["link"] = new() { Selector = "a", Attribute = "HREF" }, ["id"] = new() { Property = "dataset.id" } } },
            Extract("legacy") with { Attribute = "innertext" },
            Assert("text", "h1") with { EqualTo = "Welcome" },
            Assert("Text", "h1") with { Contains = "come", IgnoreCase = true },
            Assert("text", "h1") with { Matches = "^W.+e$" },
            Assert("visible", "#done"),
            Assert("hidden", "#spinner"),
            Assert("count", ".row") with { Count = 0 },
            Assert("count", ".row") with { Min = 1, Max = 3 },
            Assert("url") with { Contains = "/done" },
            Assert("title") with { EqualTo = "Done" }));

        Xunit.Assert.Empty(errors);
        var steps = job!.Actions;
        Xunit.Assert.Equal(("state", "checked"), (steps[0].Read, steps[0].State));
        Xunit.Assert.Equal("property", steps[1].Read);
        Xunit.Assert.Equal("count", steps[3].Read);
        Xunit.Assert.Equal("list", steps[5].Read);
        Xunit.Assert.Equal((null, "innerText"), (steps[6].Read, steps[6].Attribute));
        Xunit.Assert.Equal("text", steps[8].Expect);
    }

    [Theory]
    [InlineData("actions[0].read", "read must be one of")]
    [InlineData("actions[1].state", "read state needs state")]
    [InlineData("actions[2].property", "property must be a DOM property name")]
    [InlineData("actions[3].fields", "read list needs fields")]
    [InlineData("actions[4].fields.price.property", "not both")]
    [InlineData("actions[5].multiple", "multiple applies to read attribute, state or property")]
    [InlineData("actions[6].maxItems", "maxItems must be between 1 and 1000")]
    [InlineData("actions[7].attribute", "attribute applies to read attribute, not read count")]
    [InlineData("actions[8].maxItems", "maxItems applies to multiple")]
    public void Bad_extract_reads_are_reported_by_path(string path, string message)
    {
        var errors = ErrorsOf(Steps(
            Extract("a", "html"),
            Extract("b", "state"),
            Extract("c", "property") with { Property = "1bad" },
            Extract("d", "list"),
            Extract("e") with { Fields = new Dictionary<string, ExtractField> { ["price"] = new() { Attribute = "title", Property = "value" } } },
            Extract("f", "table") with { Multiple = true },
            Extract("g", "list") with { MaxItems = 5000, Fields = new Dictionary<string, ExtractField> { ["x"] = new() } },
            Extract("h", "count") with { Attribute = "href" },
            Extract("i") with { MaxItems = 3 }));

        Xunit.Assert.Contains(message, Xunit.Assert.Single(errors[path]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("actions[0].expect", "assert needs expect")]
    [InlineData("actions[1].expect", "expect must be one of")]
    [InlineData("actions[2].target", "assert text needs a target")]
    [InlineData("actions[3].target", "assert url takes no target")]
    [InlineData("actions[4].equals", "exactly one of equals, contains or matches")]
    [InlineData("actions[5].contains", "exactly one of equals, contains or matches")]
    [InlineData("actions[6].matches", "is not a regular expression")]
    [InlineData("actions[7].count", "needs count (exactly), or min and/or max")]
    [InlineData("actions[8].min", "min must not exceed max")]
    [InlineData("actions[9].equals", "apply to expect text, url or title")]
    [InlineData("actions[10].count", "apply to expect count")]
    [InlineData("actions[11].min", "count (exactly) goes without min and max")]
    public void Bad_assertions_are_reported_by_path(string path, string message)
    {
        var errors = ErrorsOf(Steps(
            new JobAction { Action = "assert" },
            Assert("colour", "h1"),
            Assert("text") with { EqualTo = "x" },
            Assert("url", "h1") with { EqualTo = "x" },
            Assert("title"),
            Assert("title") with { EqualTo = "x", Contains = "y" },
            Assert("text", "h1") with { Matches = "([" },
            Assert("count", ".row"),
            Assert("count", ".row") with { Min = 3, Max = 1 },
            Assert("visible", "#x") with { EqualTo = "x" },
            Assert("title") with { EqualTo = "x", Count = 2 },
            Assert("count", ".row") with { Count = 2, Min = 1 }));

        Xunit.Assert.Contains(message, Xunit.Assert.Single(errors[path]), StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_and_har_are_checked_and_refused_for_jobs_that_carry_secrets()
    {
        var extract = Extract("title");
        var unknown = ErrorsOf(Steps(extract) with { Options = new JobOptions { Trace = "always" } });
        var form = ErrorsOf(Steps(new JobAction { Action = "fill", Target = "#q", Value = "x" }) with { Options = new JobOptions { Trace = "on" } });
        var cookies = ErrorsOf(Steps(extract) with
        {
            Options = new JobOptions { Har = true, Cookies = [new JobCookie { Name = "session", Value = "s", Url = "https://example.com" }] },
        });
        var (job, fine) = JobRequestValidator.Validate(Steps(extract) with { Options = new JobOptions { Trace = "Retain-On-Failure", Har = true } });

        Xunit.Assert.Contains("trace must be one of: off, on, retain-on-failure", Xunit.Assert.Single(unknown["options.trace"]), StringComparison.Ordinal);
        Xunit.Assert.Contains("form values (fill steps)", Xunit.Assert.Single(form["options.trace"]), StringComparison.Ordinal);
        Xunit.Assert.Contains("har cannot be recorded for a job with cookies", Xunit.Assert.Single(cookies["options.har"]), StringComparison.Ordinal);
        Xunit.Assert.Empty(fine);
        Xunit.Assert.Equal("retain-on-failure", job!.Options!.Trace);
    }
}
