using System.Text.RegularExpressions;

namespace BrowserAutomation.Contracts.Actions;

/// <summary>The rules between fields of the actions that have them (see <see cref="ActionDefinition.Rule"/>).</summary>
internal static partial class ActionRules
{
    public static JobAction Goto(JobAction step, StepCheck check)
    {
        check.Context.CheckUrl(step.Url ?? step.Value, check.At(step.Url is null && step.Value is not null ? "value" : "url"));
        if (step.Url is not null && step.Value is not null && step.Url != step.Value)
        {
            check.Problem("value", "goto takes the URL in url (or value), not two different ones.");
        }

        return step;
    }

    public static JobAction Select(JobAction step, StepCheck check)
    {
        if (step.Value is not null && step.Values is not null)
        {
            check.Problem("values", "select takes value (one option) or values (several), not both.");
        }
        else if (step.Value is null && step.Values is not { Count: > 0 })
        {
            check.Problem("value", "select needs a value or a non-empty values list.");
        }
        else if (step.Values?.Any(v => v is null) == true)
        {
            check.Problem("values", "values must not contain null.");
        }

        return step;
    }

    public static JobAction Scroll(JobAction step, StepCheck check)
    {
        if (step.Target is not null && (step.X is not null || step.Y is not null))
        {
            check.Problem(step.X is not null ? "x" : "y", "scroll takes a target (scroll it into view) or x/y (scroll by pixels), not both.");
        }
        else if (step.Target is null && step.X is null && step.Y is null)
        {
            check.Problem("target", "scroll needs a target, or x and/or y pixels to scroll by.");
        }

        return step;
    }

    public static JobAction Wait(JobAction step, StepCheck check)
    {
        var budget = check.Context.JobTimeoutMs;
        if (step.Milliseconds is not { } milliseconds || milliseconds < 0 || milliseconds > budget)
        {
            check.Problem("milliseconds", $"wait needs milliseconds between 0 and the job's timeoutMs ({budget}).");
        }

        return step;
    }

    public static JobAction Screenshot(JobAction step, StepCheck check)
    {
        // An unknown format is reported by the format field; the rest is checked as for the default, png.
        var format = ActionValues.Canonical(step.Format, ActionValues.ScreenshotFormats) ?? "png";
        if (step.Quality is { } quality)
        {
            if (format != "jpeg")
            {
                check.Problem("quality", "quality applies to jpeg screenshots only (png is lossless).");
            }
            else if (quality is < 0 or > 100)
            {
                check.Problem("quality", "quality must be between 0 and 100.");
            }
        }

        if (step.OmitBackground == true && format == "jpeg")
        {
            check.Problem("omitBackground", "omitBackground needs png: JPEG has no transparency.");
        }

        if (step.Clip is { } clip)
        {
            if (clip.X < 0 || clip.Y < 0 || clip.Width <= 0 || clip.Height <= 0 || double.IsNaN(clip.X + clip.Y + clip.Width + clip.Height))
            {
                check.Problem("clip", "clip needs x, y >= 0 and a positive width and height.");
            }

            if (step.FullPage == true)
            {
                check.Problem("fullPage", "fullPage and clip cannot be combined: clip already names the area (in page coordinates).");
            }
        }

        if (step.Target is not null && step.FullPage == true)
        {
            check.Problem("fullPage", "An element screenshot (target) cannot be fullPage: it is the element's own box.");
        }

        if (step.Target is not null && step.Clip is not null)
        {
            check.Problem("clip", "An element screenshot (target) takes no clip.");
        }

        return step;
    }

    public static JobAction Pdf(JobAction step, StepCheck check)
    {
        if (step.Margin is { } margin)
        {
            foreach (var (side, value) in new[] { ("top", margin.Top), ("right", margin.Right), ("bottom", margin.Bottom), ("left", margin.Left) })
            {
                if (value is not null && !LengthPattern().IsMatch(value.Trim()))
                {
                    check.Problem($"margin.{side}", $"'{ActionValues.Shorten(value)}' is not a length such as 10px, 1cm, 5mm or 0.5in.");
                }
            }
        }

        if (step.PageRanges is { } ranges && !PageRangesPattern().IsMatch(ranges))
        {
            check.Problem("pageRanges", $"pageRanges '{ActionValues.Shorten(ranges)}' must look like \"1-3, 5\".");
        }

        return step;
    }

    public static JobAction Evaluate(JobAction step, StepCheck check)
    {
        if (!check.Context.EvaluateEnabled)
        {
            check.Problem("action",
                "evaluate is disabled on this service: it runs arbitrary JavaScript in the page, so it is only for deployments whose clients are all trusted (EVALUATE_ENABLED=true).");
        }

        check.Context.ClaimName(step.Name ?? $"evaluate-{check.Index}", check.At("name"));
        return step;
    }

    [GeneratedRegex(@"^\d+(\.\d+)?\s*(px|in|cm|mm)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LengthPattern();

    [GeneratedRegex(@"^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex PageRangesPattern();
}
