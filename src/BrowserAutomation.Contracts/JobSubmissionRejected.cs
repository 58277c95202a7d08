namespace BrowserAutomation.Contracts;

/// <summary>The answer to a refused <see cref="SubmitJob"/> on the bus (invalid, or over a quota): nothing was created.</summary>
public sealed record JobSubmissionRejected
{
    /// <summary>The client's reference from the command.</summary>
    public string? ClientReference { get; init; }

    /// <summary>A summary of what is wrong.</summary>
    public required string Reason { get; init; }

    /// <summary>Field (JSON path) → problems, as in the REST problem details.</summary>
    public required IReadOnlyDictionary<string, string[]> Errors { get; init; }

    /// <summary>
    /// The reason as a machine-readable code: invalid, idempotency_conflict, browser_type_inactive, no_live_worker,
    /// too_many_active_jobs (the owner's cap of pending + processing jobs) or queue_full (the engine's backlog bound).
    /// </summary>
    public string? Code { get; init; }

    /// <summary>For quota refusals: the limit that was reached (the cap or the backlog bound).</summary>
    public int? Limit { get; init; }

    /// <summary>For quota refusals: seconds after which a resubmission may succeed.</summary>
    public int? RetryAfterSeconds { get; init; }
}
