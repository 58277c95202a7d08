using BrowserAutomation.Contracts;

namespace BrowserAutomation.Persistence.Jobs;

/// <summary>
/// The one mapping between the state machine's state names ("Pending", its property names) and the statuses clients,
/// messages and the automation_jobs.status column use (<see cref="JobStatuses"/>: "pending").
/// </summary>
public static class JobStates
{
    public const string Pending = nameof(JobStateMachine.Pending);

    public const string Processing = nameof(JobStateMachine.Processing);

    public const string Completed = nameof(JobStateMachine.Completed);

    public const string Failed = nameof(JobStateMachine.Failed);

    public const string Cancelled = nameof(JobStateMachine.Cancelled);

    public const string Expired = nameof(JobStateMachine.Expired);

    private static readonly Dictionary<string, string> StatusByState = new(StringComparer.Ordinal)
    {
        [Pending] = JobStatuses.Pending,
        [Processing] = JobStatuses.Processing,
        [Completed] = JobStatuses.Completed,
        [Failed] = JobStatuses.Failed,
        [Cancelled] = JobStatuses.Cancelled,
        [Expired] = JobStatuses.Expired,
    };

    private static readonly Dictionary<string, string> StateByStatus = StatusByState.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every wire status, in lifecycle order.</summary>
    public static IReadOnlyList<string> AllStatuses { get; } = [.. StatusByState.Values];

    /// <summary>The wire status of a state ("Pending" is "pending").</summary>
    public static string ToStatus(string state) =>
        StatusByState.TryGetValue(state, out var status) ? status : throw new ArgumentOutOfRangeException(nameof(state), state, "Not a job state.");

    /// <summary>The state of a wire status ("pending" is "Pending").</summary>
    public static string ToState(string status) =>
        StateByStatus.TryGetValue(status, out var state) ? state : throw new ArgumentOutOfRangeException(nameof(status), status, "Not a job status.");

    /// <summary>Pending or processing: the job can still change (and be cancelled).</summary>
    public static bool IsActive(string state) => state is Pending or Processing;

    /// <summary>Whether a wire status is final: completed, failed, cancelled or expired.</summary>
    public static bool IsFinalStatus(string status) =>
        status is JobStatuses.Completed or JobStatuses.Failed or JobStatuses.Cancelled or JobStatuses.Expired;
}
