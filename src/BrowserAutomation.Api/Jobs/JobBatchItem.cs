namespace BrowserAutomation.Api.Jobs;

/// <summary>One job of a batch: its id and status, and whether it already existed under the item's idempotency key.</summary>
public sealed record JobBatchItem(Guid JobId, string Status, DateTime CreatedAt, bool Replayed);
