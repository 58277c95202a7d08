using BrowserAutomation.Contracts;

namespace BrowserAutomation.Persistence.Webhooks;

/// <summary>The events a webhook can ask for, and which job status each one follows.</summary>
public static class WebhookEvents
{
    public const string Started = "job.started";
    public const string Completed = "job.completed";
    public const string Failed = "job.failed";
    public const string Cancelled = "job.cancelled";
    public const string Expired = "job.expired";

    public static IReadOnlyList<string> All { get; } = [Started, Completed, Failed, Cancelled, Expired];

    /// <summary>What a webhook without <c>events</c> receives: the job's end, whichever it is.</summary>
    public static IReadOnlyList<string> Default { get; } = [Completed, Failed, Cancelled, Expired];

    /// <summary>The event of a final status (null for pending and processing).</summary>
    public static string? ForFinalStatus(string status) => status switch
    {
        JobStatuses.Completed => Completed,
        JobStatuses.Failed => Failed,
        JobStatuses.Cancelled => Cancelled,
        JobStatuses.Expired => Expired,
        _ => null,
    };
}
