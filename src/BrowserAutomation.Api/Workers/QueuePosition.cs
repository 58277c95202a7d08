using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Jobs;
using Microsoft.EntityFrameworkCore;

namespace BrowserAutomation.Api.Workers;

/// <summary>
/// Where a pending job stands in its engine's queue, counted the way workers take jobs: higher priority first
/// (the queue's message priority), then the oldest. One count over the pending jobs of the engine (the partial index
/// idx_jobs_engine_pending; their number is bounded by QUEUE_MAX_DEPTH_PER_ENGINE when set).
/// </summary>
public static class QueuePosition
{
    /// <summary>1 for the next job a worker of the engine takes; null when the job is not pending.</summary>
    public static async Task<int?> OfAsync(AutomationDbContext db, AutomationJob job, CancellationToken cancellationToken)
    {
        if (job.CurrentState != JobStates.Pending)
        {
            return null;
        }

        var ahead = await db.Jobs.AsNoTracking()
            .Where(j => j.Engine == job.Engine && j.CurrentState == JobStates.Pending && j.Id != job.Id)
            .Where(j => j.Priority > job.Priority || (j.Priority == job.Priority && j.CreatedAt < job.CreatedAt))
            .CountAsync(cancellationToken);
        return ahead + 1;
    }
}
