namespace BrowserAutomation.Api.Jobs;

/// <summary>The batch's jobs in the order submitted; <c>created</c> new ones, <c>replayed</c> answered from earlier idempotency keys.</summary>
public sealed record JobBatchResponse(IReadOnlyList<JobBatchItem> Jobs, int Created, int Replayed);
