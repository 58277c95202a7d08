using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;
using BrowserAutomation.Persistence.Jobs;

namespace BrowserAutomation.Api.Jobs;

/// <summary>startBy and expiresAt: absolute times in the future, at most <see cref="JobDeadlines.MaxAhead"/> ahead, startBy not after expiresAt.</summary>
public static class JobDeadlineValidator
{
    internal static (DateTime? StartBy, DateTime? ExpiresAt) Validate(SubmitJob request, ValidationProblems errors, DateTime now)
    {
        var startBy = Check(request.StartBy, "startBy", errors, now);
        var expiresAt = Check(request.ExpiresAt, "expiresAt", errors, now);
        if (startBy is { } s && expiresAt is { } e && s > e)
        {
            errors.Add("startBy", "startBy must not be after expiresAt (a job that expires cannot start later).");
        }

        return (startBy, expiresAt);
    }

    private static DateTime? Check(DateTimeOffset? value, string field, ValidationProblems errors, DateTime now)
    {
        if (value is not { } given)
        {
            return null;
        }

        var utc = given.UtcDateTime;
        if (utc <= now)
        {
            errors.Add(field, $"{field} must be in the future (an absolute UTC time such as {now.AddMinutes(10):yyyy-MM-ddTHH:mm:ssZ}); it was {utc:O}.");
            return null;
        }

        if (utc - now > JobDeadlines.MaxAhead)
        {
            errors.Add(field, $"{field} is at most {JobDeadlines.MaxAhead.TotalDays:0} days ahead.");
            return null;
        }

        return utc;
    }
}
