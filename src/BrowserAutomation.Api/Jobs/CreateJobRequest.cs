using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Jobs;

/// <summary>
/// POST /api/v1/jobs. Either the seed's single-action form (<see cref="ActionType"/> + <see cref="Payload"/>)
/// or a URL with an ordered action list (<see cref="Url"/> + <see cref="Actions"/>).
/// </summary>
public sealed record CreateJobRequest
{
    /// <summary>Browser type id from GET /api/v1/browsers.</summary>
    public int? BrowserTypeId { get; init; }

    /// <summary>Seed form: screenshot or visit.</summary>
    public string? ActionType { get; init; }

    /// <summary>Seed form: the action's options (url, fullPage, format, quality, selector, waitUntil, viewport).</summary>
    public JobPayload? Payload { get; init; }

    /// <summary>Action-list form: the URL visited first.</summary>
    public string? Url { get; init; }

    /// <summary>Action-list form: the steps executed after the first navigation.</summary>
    public IReadOnlyList<JobAction>? Actions { get; init; }

    /// <summary>Action-list form: load (default), domcontentloaded, networkidle or commit.</summary>
    public string? WaitUntil { get; init; }

    /// <summary>Action-list form: viewport override.</summary>
    public Viewport? Viewport { get; init; }

    /// <summary>0 (default) to 10; higher runs first.</summary>
    public int? Priority { get; init; }

    /// <summary>The whole job's time budget in milliseconds (default 30000).</summary>
    public int? TimeoutMs { get; init; }
}

/// <summary>The seed's payload for single-action jobs.</summary>
public sealed record JobPayload
{
    public string? Url { get; init; }

    public bool? FullPage { get; init; }

    public string? WaitUntil { get; init; }

    /// <summary>png (default) or jpeg.</summary>
    public string? Format { get; init; }

    /// <summary>JPEG quality 0-100.</summary>
    public int? Quality { get; init; }

    /// <summary>Screenshot only this element (CSS or XPath).</summary>
    public string? Selector { get; init; }

    public Viewport? Viewport { get; init; }
}
