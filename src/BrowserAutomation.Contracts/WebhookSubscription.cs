namespace BrowserAutomation.Contracts;

/// <summary>
/// Where and for which events a job's outcome is pushed (Standard Webhooks: signed with the submitting key's secret).
/// </summary>
public sealed record WebhookSubscription
{
    /// <summary>The receiver: an absolute http or https URL the URL policy allows.</summary>
    public string? Url { get; init; }

    /// <summary>job.completed, job.failed, job.cancelled, job.expired and optionally job.started; absent means the four final events.</summary>
    public IReadOnlyList<string>? Events { get; init; }
}
