using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Jobs;

/// <summary>POST /api/v1/jobs/batch: up to 1,000 jobs, each exactly the body of POST /api/v1/jobs (idempotencyKey in the body).</summary>
public sealed record JobBatchRequest(IReadOnlyList<SubmitJob>? Jobs);
