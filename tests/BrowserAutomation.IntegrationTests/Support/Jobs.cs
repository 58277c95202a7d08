using BrowserAutomation.Contracts;

namespace BrowserAutomation.IntegrationTests.Support;

internal static class Jobs
{
    public static JobRequested For(string url, params JobAction[] actions) => new()
    {
        JobId = Guid.NewGuid(),
        Attempt = 1,
        BrowserTypeId = 1,
        Engine = "chromium",
        TargetUrl = url,
        Actions = actions,
        Viewport = new Viewport(800, 600),
        TimeoutMs = 30_000,
    };

    public static JobAction Screenshot(
        bool? fullPage = null, string? format = null, int? quality = null, string? target = null, int? timeoutMs = null) => new()
    {
        Action = "screenshot",
        FullPage = fullPage,
        Format = format,
        Quality = quality,
        Target = target,
        GetTargetBy = target is null ? null : "getBySelector",
        TimeoutMs = timeoutMs,
    };

    /// <summary>A step acting on a target: Step("click", "getByText", "Sign in").</summary>
    public static JobAction Step(string action, string getTargetBy, string target) => new() { Action = action, GetTargetBy = getTargetBy, Target = target };

    public static JobAction Extract(string name, string target, string? attribute = null, bool? multiple = null, string getTargetBy = "getBySelector") =>
        new() { Action = "extract", Name = name, Target = target, GetTargetBy = getTargetBy, Attribute = attribute, Multiple = multiple };

    public static JobAction Evaluate(string name, string expression) => new() { Action = "evaluate", Name = name, Expression = expression };
}
