using BrowserAutomation.Persistence.Jobs;

namespace BrowserAutomation.Api.Security;

/// <summary>Tenant isolation in one place: the jobs a caller may see.</summary>
public static class TenantQueries
{
    /// <summary>The caller's owner's jobs; every job for an admin key. Invisible jobs behave exactly like missing ones (404).</summary>
    public static IQueryable<AutomationJob> VisibleTo(this IQueryable<AutomationJob> jobs, Caller caller) =>
        caller.SeesAllOwners ? jobs : jobs.Where(j => j.Owner == caller.Owner);
}
