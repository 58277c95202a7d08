using BrowserAutomation.Api.Jobs;
using BrowserAutomation.Contracts;
using BrowserAutomation.Persistence.Jobs;

namespace BrowserAutomation.UnitTests.Persistence.Jobs;

public sealed class JobDeadlinesTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    private static AutomationJob Job(DateTime? startBy, DateTime? expiresAt, DateTime? startedAt = null) =>
        new() { TargetUrl = "https://example.com", Actions = "[]", StartBy = startBy, ExpiresAt = expiresAt, StartedAt = startedAt };

    [Fact]
    public void An_attempt_may_start_until_the_earlier_deadline_and_once_started_only_expiresAt_binds()
    {
        Assert.Null(JobDeadlines.NotAfter(Job(null, null)));
        Assert.Equal(Now, JobDeadlines.NotAfter(Job(Now, Now.AddHours(1))));
        Assert.Equal(Now, JobDeadlines.NotAfter(Job(null, Now)));
        Assert.Null(JobDeadlines.NotAfter(Job(Now, null, startedAt: Now.AddMinutes(-1))));
        Assert.Equal(Now.AddHours(1), JobDeadlines.NotAfter(Job(Now, Now.AddHours(1), startedAt: Now.AddMinutes(-1))));
    }

    [Fact]
    public void StartBy_ends_only_a_job_that_never_started_expiresAt_any_pending_job()
    {
        var startBy = new JobDeadlineReached { JobId = Guid.NewGuid(), Deadline = JobDeadlineReached.StartBy, At = Now };
        var expiresAt = startBy with { Deadline = JobDeadlineReached.ExpiresAt };
        Assert.True(JobDeadlines.Ends(Job(Now, null), startBy));
        Assert.False(JobDeadlines.Ends(Job(Now, null, startedAt: Now.AddSeconds(-1)), startBy));
        Assert.True(JobDeadlines.Ends(Job(null, Now, startedAt: Now.AddSeconds(-1)), expiresAt));
    }

    [Fact]
    public void Deadlines_must_be_ahead_within_seven_days_and_startBy_not_after_expiresAt()
    {
        var request = new SubmitJob { StartBy = Now.AddHours(2), ExpiresAt = Now.AddHours(1) };
        var errors = new BrowserAutomation.Contracts.Actions.ValidationProblems();
        JobDeadlineValidator.Validate(request, errors, Now);
        Assert.Contains("startBy", errors.ToDictionary().Keys);

        errors = new BrowserAutomation.Contracts.Actions.ValidationProblems();
        var (s, e) = JobDeadlineValidator.Validate(new SubmitJob { StartBy = Now.AddSeconds(-1), ExpiresAt = Now.AddDays(8) }, errors, Now);
        Assert.Equal(["expiresAt", "startBy"], errors.ToDictionary().Keys.Order());
        Assert.Null(s);
        Assert.Null(e);

        errors = new BrowserAutomation.Contracts.Actions.ValidationProblems();
        var offset = new DateTimeOffset(Now.AddHours(3), TimeSpan.Zero).ToOffset(TimeSpan.FromHours(2));
        var (_, expires) = JobDeadlineValidator.Validate(new SubmitJob { ExpiresAt = offset }, errors, Now);
        Assert.Empty(errors.ToDictionary());
        Assert.Equal(DateTimeKind.Utc, expires!.Value.Kind);
        Assert.Equal(Now.AddHours(3), expires);
    }
}
