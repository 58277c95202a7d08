using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.UnitTests.Api.Jobs;

public sealed class JobRequestValidatorTests
{
    private static SubmitJob Screenshot(JobPayload? payload = null, int? browserTypeId = 1) => new()
    {
        BrowserTypeId = browserTypeId,
        ActionType = "screenshot",
        Payload = payload ?? new JobPayload { Url = "https://example.com", FullPage = true },
    };

    [Fact]
    public void The_single_action_screenshot_form_becomes_one_screenshot_step()
    {
        var (job, errors) = JobRequestValidator.Validate(Screenshot(new JobPayload
        {
            Url = "https://example.com", FullPage = true, Format = "jpeg", Quality = 80, WaitUntil = "networkidle", Viewport = new Viewport(800, 600),
        }));

        Assert.Empty(errors);
        Assert.NotNull(job);
        Assert.Equal("screenshot", job.ActionType);
        Assert.Equal("https://example.com", job.TargetUrl);
        Assert.Equal("networkidle", job.WaitUntil);
        Assert.Equal(new Viewport(800, 600), job.Viewport);
        var step = Assert.Single(job.Actions);
        Assert.Equal(("screenshot", true, "jpeg", 80), (step.Action, step.FullPage, step.Format, step.Quality));
        Assert.Equal(JobRequestValidator.DefaultTimeoutMs, job.TimeoutMs);
    }

    [Fact]
    public void Visit_has_no_steps_and_defaults_to_load()
    {
        var (job, errors) = JobRequestValidator.Validate(new SubmitJob
        {
            BrowserTypeId = 1, ActionType = "visit", Payload = new JobPayload { Url = "http://example.com:8080/" },
        });
        Assert.Empty(errors);
        Assert.Empty(job!.Actions);
        Assert.Equal("load", job.WaitUntil);
    }

    [Theory]
    [InlineData(null, "payload.url")]
    [InlineData("not a url", "payload.url")]
    [InlineData("ftp://example.com/file", "payload.url")]
    [InlineData("file:///etc/passwd", "payload.url")]
    [InlineData("javascript:alert(1)", "payload.url")]
    public void Bad_urls_name_the_field(string? url, string field)
    {
        var (job, errors) = JobRequestValidator.Validate(Screenshot(new JobPayload { Url = url }));
        Assert.Null(job);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var (job, errors) = JobRequestValidator.Validate(new SubmitJob
        {
            ActionType = "dance",
            Payload = new JobPayload { Url = "https://example.com", Format = "gif", WaitUntil = "soon" },
            Priority = 11,
            TimeoutMs = 10,
        });

        Assert.Null(job);
        Assert.Equal(
            ["actionType", "browserTypeId", "payload.waitUntil", "priority", "timeoutMs"],
            errors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Quality_is_only_for_jpeg_and_within_range()
    {
        Assert.Contains("payload.quality", JobRequestValidator.Validate(Screenshot(new JobPayload { Url = "https://a.example", Quality = 50 })).Errors.Keys);
        Assert.Contains("payload.quality", JobRequestValidator.Validate(Screenshot(new JobPayload { Url = "https://a.example", Format = "jpeg", Quality = 101 })).Errors.Keys);
        Assert.Empty(JobRequestValidator.Validate(Screenshot(new JobPayload { Url = "https://a.example", Format = "jpeg", Quality = 0 })).Errors);
    }

    [Fact]
    public void Action_lists_point_at_the_step_and_field()
    {
        var (job, errors) = JobRequestValidator.Validate(new SubmitJob
        {
            BrowserTypeId = 1,
            Url = "https://example.com",
            Actions =
            [
                new JobAction { Action = "wait", Milliseconds = 100 },
                new JobAction { Action = "teleport" },
                new JobAction { Action = "wait" },
                new JobAction { Action = "screenshot", Format = "bmp" },
            ],
        });

        Assert.Null(job);
        Assert.Equal(["actions[1].action", "actions[2].milliseconds", "actions[3].format"], errors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Both_forms_at_once_are_rejected()
    {
        var request = Screenshot() with { Url = "https://example.com", Actions = [] };
        Assert.Contains("actionType", JobRequestValidator.Validate(request).Errors.Keys);
    }

    [Fact]
    public void Too_many_actions_are_rejected()
    {
        var request = new SubmitJob
        {
            BrowserTypeId = 1,
            Url = "https://example.com",
            Actions = Enumerable.Range(0, JobRequestValidator.MaxActions + 1).Select(_ => new JobAction { Action = "wait", Milliseconds = 1 }).ToList(),
        };
        Assert.Contains("actions", JobRequestValidator.Validate(request).Errors.Keys);
    }

    [Fact]
    public void The_deployment_limits_bound_actions_and_timeout()
    {
        var limits = new JobRequestValidator.JobLimits(MaxActions: 2, MaxTimeoutMs: 5_000);
        static SubmitJob Request(int actions, int timeoutMs) => new()
        {
            BrowserTypeId = 1,
            Url = "https://example.com",
            TimeoutMs = timeoutMs,
            Actions = Enumerable.Range(0, actions).Select(_ => new JobAction { Action = "wait", Milliseconds = 1 }).ToList(),
        };

        Assert.Empty(JobRequestValidator.Validate(Request(2, 5_000), limits: limits).Errors);
        var tooMany = JobRequestValidator.Validate(Request(3, 5_000), limits: limits).Errors;
        Assert.Equal("At most 2 actions per job (MAX_ACTIONS_PER_JOB); this job has 3.", Assert.Single(tooMany["actions"]));
        var tooLong = JobRequestValidator.Validate(Request(1, 5_001), limits: limits).Errors;
        Assert.Contains("between 1000 and 5000", Assert.Single(tooLong["timeoutMs"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("HTTP://127.0.0.1/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f000001/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("http://user:pass@example.com/")]
    public void The_url_policy_refuses_denied_addresses_at_submission_in_the_url_and_in_goto(string url)
    {
        var errors = JobRequestValidator.Validate(new SubmitJob
        {
            BrowserTypeId = 1,
            Url = url,
            Actions = [new JobAction { Action = "goto", Url = url }],
        }).Errors;

        Assert.StartsWith("url_blocked: ", Assert.Single(errors["url"]), StringComparison.Ordinal);
        Assert.StartsWith("url_blocked: ", Assert.Single(errors["actions[0].url"]), StringComparison.Ordinal);
    }

    [Fact]
    public void An_allowed_network_is_accepted_and_other_loopback_addresses_are_not()
    {
        var policy = new BrowserAutomation.Networking.UrlPolicy(new BrowserAutomation.Networking.UrlPolicyOptions { AllowedNetworks = ["127.0.0.1/32"] });
        static SubmitJob Visit(string url) => new() { BrowserTypeId = 1, ActionType = "visit", Payload = new JobPayload { Url = url } };

        Assert.Empty(JobRequestValidator.Validate(Visit("http://127.0.0.1:8080/"), urlPolicy: policy).Errors);
        Assert.Contains("loopback", Assert.Single(JobRequestValidator.Validate(Visit("http://127.0.0.2:8080/"), urlPolicy: policy).Errors["payload.url"]),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Only_playwright_device_names_are_accepted_and_near_misses_are_suggested()
    {
        static SubmitJob With(string device) => new()
        {
            BrowserTypeId = 1, Url = "https://example.com", Actions = [], Options = new JobOptions { Device = device },
        };

        Assert.Empty(JobRequestValidator.Validate(With("Pixel 7")).Errors);
        Assert.Equal("Unknown device 'Nokia 3310': device must be a Playwright device name such as 'Pixel 7' or 'iPhone 13'.",
            Assert.Single(JobRequestValidator.Validate(With("Nokia 3310")).Errors["options.device"]));
        Assert.Contains("did you mean 'Pixel 7'", Assert.Single(JobRequestValidator.Validate(With("pixel 7")).Errors["options.device"]),
            StringComparison.Ordinal);
    }
}
