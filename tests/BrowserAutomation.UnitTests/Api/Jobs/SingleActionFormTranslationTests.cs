using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.UnitTests.Api.Jobs;

/// <summary>The single-action forms become steps of the one model; their errors keep the payload's own paths.</summary>
public sealed class SingleActionFormTranslationTests
{
    private static SubmitJob SingleAction(string actionType, JobPayload payload) => new() { BrowserTypeId = 1, ActionType = actionType, Payload = payload };

    private static string[] Keys(SubmitJob request) => JobRequestValidator.Validate(request).Errors.Keys.Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Form_fill_becomes_its_steps_and_waits_for_the_next_page_when_asked()
    {
        var (job, errors) = JobRequestValidator.Validate(SingleAction("form-fill", new JobPayload
        {
            Url = "https://example.com/form",
            WaitUntil = "domcontentloaded",
            Actions =
            [
                new FormFillStep { Type = "fill", Selector = "#email", Value = "user@example.com" },
                new FormFillStep { Type = "fill", Selector = "#password", Value = "secret", Sensitive = true },
                new FormFillStep { Type = "Click", Selector = "#submit" },
            ],
            WaitForNavigation = true,
        }));

        Assert.Empty(errors);
        Assert.Equal("form-fill", job!.ActionType);
        Assert.Equal(["fill", "fill", "click", "waitForLoadState"], job.Actions.Select(a => a.Action));
        Assert.Equal(("#email", "user@example.com"), (job.Actions[0].Target, job.Actions[0].Value));
        Assert.True(job.Actions[1].Sensitive);
        Assert.Equal("domcontentloaded", job.Actions[3].State);
    }

    [Fact]
    public void Form_fill_errors_point_at_the_payload_step()
    {
        Assert.Equal(["payload.actions"], Keys(SingleAction("form-fill", new JobPayload { Url = "https://example.com" })));
        Assert.Equal(["payload.actions[0].type", "payload.actions[1].selector", "payload.actions[2].value"],
            Keys(SingleAction("form-fill", new JobPayload
            {
                Url = "https://example.com",
                Actions =
                [
                    new FormFillStep { Type = "submit", Selector = "#a" },
                    new FormFillStep { Type = "click" },
                    new FormFillStep { Type = "fill", Selector = "#a" },
                ],
            })));
    }

    [Fact]
    public void Extract_becomes_one_extract_step_per_extractor()
    {
        var (job, errors) = JobRequestValidator.Validate(SingleAction("extract", new JobPayload
        {
            Url = "https://example.com",
            Extractors =
            [
                new PayloadExtractor { Name = "title", Selector = "h1", Attribute = "textContent" },
                new PayloadExtractor { Name = "links", Selector = "a", Attribute = "href", Multiple = true },
            ],
        }));

        Assert.Empty(errors);
        Assert.Equal(
            [("extract", "title", "h1", "textContent", (bool?)null), ("extract", "links", "a", "href", true)],
            job!.Actions.Select(a => (a.Action, a.Name!, a.Target!, a.Attribute!, a.Multiple)));
    }

    [Fact]
    public void Extract_errors_point_at_the_extractor()
    {
        Assert.Equal(["payload.extractors"], Keys(SingleAction("extract", new JobPayload { Url = "https://example.com", Extractors = [] })));
        Assert.Equal(["payload.extractors[0].selector", "payload.extractors[2].name"],
            Keys(SingleAction("extract", new JobPayload
            {
                Url = "https://example.com",
                Extractors =
                [
                    new PayloadExtractor { Name = "a" },
                    new PayloadExtractor { Name = "b", Selector = "p" },
                    new PayloadExtractor { Name = "b", Selector = "q" },
                ],
            })));
    }

    [Fact]
    public void Pdf_becomes_one_pdf_step()
    {
        var (job, errors) = JobRequestValidator.Validate(SingleAction("pdf", new JobPayload
        {
            Url = "https://example.com",
            Format = "A4",
            PrintBackground = true,
            Landscape = true,
            Margin = new PdfMargin("1cm", "1cm", "1cm", "1cm"),
        }));

        Assert.Empty(errors);
        var step = Assert.Single(job!.Actions);
        Assert.Equal(("pdf", "A4", true, true, "1cm"), (step.Action, step.Format, step.PrintBackground, step.Landscape, step.Margin!.Top));
        Assert.Equal(["payload.format", "payload.margin.right"],
            Keys(SingleAction("pdf", new JobPayload { Url = "https://example.com", Format = "png", Margin = new PdfMargin(Right: "lots") })));
    }

    [Fact]
    public void Screenshot_options_keep_payload_paths()
    {
        Assert.Equal(["payload.fullPage", "payload.omitBackground"],
            Keys(SingleAction("screenshot", new JobPayload { Url = "https://example.com", Selector = "#box", FullPage = true, Format = "jpeg", OmitBackground = true })));
    }

    [Fact]
    public void Payload_fields_of_another_action_type_are_refused()
    {
        Assert.Equal(["payload.extractors", "payload.printBackground"],
            Keys(SingleAction("screenshot", new JobPayload { Url = "https://example.com", Extractors = [], PrintBackground = true })));
        Assert.Equal(["payload.selector"], Keys(SingleAction("visit", new JobPayload { Url = "https://example.com", Selector = "#a" })));
    }

    [Fact]
    public void The_single_action_timeout_is_the_job_timeout()
    {
        var (job, _) = JobRequestValidator.Validate(SingleAction("visit", new JobPayload { Url = "https://example.com", Timeout = 12_000 }));
        Assert.Equal(12_000, job!.TimeoutMs);
        Assert.Equal(["payload.timeout"], Keys(SingleAction("visit", new JobPayload { Url = "https://example.com", Timeout = 10 })));
        Assert.Equal(45_000, JobRequestValidator.Validate(SingleAction("visit", new JobPayload { Url = "https://example.com" }), defaultTimeoutMs: 45_000).Job!.TimeoutMs);
    }
}
