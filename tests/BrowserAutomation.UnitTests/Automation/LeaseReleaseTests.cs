using BrowserAutomation.Automation.Pool;

namespace BrowserAutomation.UnitTests.Automation;

/// <summary>A job's context closes after its outcome is recorded when the consumer defers it, and never stays open.</summary>
public sealed class LeaseReleaseTests
{
    [Fact]
    public void Without_a_scope_the_release_runs_at_once()
    {
        var released = 0;
        LeaseRelease.RunOrHold(() => released++);
        Assert.Equal(1, released);
    }

    [Fact]
    public async Task Inside_a_scope_the_release_waits_for_the_scope_to_end_even_from_an_attempt_task()
    {
        var released = 0;
        using (var scope = LeaseRelease.Defer())
        {
            // The attempt runs as a task started inside the scope, as the consumer starts the execution.
            await Task.Run(() => LeaseRelease.RunOrHold(() => Interlocked.Increment(ref released)));
            Assert.Equal(0, released);
            Assert.Equal(1, scope.Held);
        }

        Assert.Equal(1, released);
        // The scope is gone from the flow: the next release is immediate again.
        LeaseRelease.RunOrHold(() => released++);
        Assert.Equal(2, released);
    }

    [Fact]
    public async Task An_attempt_that_outlives_its_scope_releases_at_once()
    {
        var released = 0;
        var finish = new TaskCompletionSource();
        Task attempt;
        using (LeaseRelease.Defer())
        {
            attempt = Task.Run(async () =>
            {
                await finish.Task;
                LeaseRelease.RunOrHold(() => Interlocked.Increment(ref released));
            });
        }

        finish.SetResult();
        await attempt;
        Assert.Equal(1, released);
    }

    [Fact]
    public void Disposing_twice_releases_once_and_restores_the_outer_scope()
    {
        var released = 0;
        using var outer = LeaseRelease.Defer();
        var inner = LeaseRelease.Defer();
        LeaseRelease.RunOrHold(() => released++);
        inner.Dispose();
        inner.Dispose();
        Assert.Equal(1, released);

        LeaseRelease.RunOrHold(() => released++);
        Assert.Equal(1, released);
        Assert.Equal(1, outer.Held);
        outer.Dispose();
        Assert.Equal(2, released);
    }

    [Fact]
    public async Task Concurrent_consumers_hold_only_their_own_releases()
    {
        var first = 0;
        var second = 0;
        var bothHeld = new Barrier(2);

        Task Consume(Action release, Func<int> count) => Task.Run(() =>
        {
            using (LeaseRelease.Defer())
            {
                LeaseRelease.RunOrHold(release);
                bothHeld.SignalAndWait(TimeSpan.FromSeconds(10));
                Assert.Equal(0, count());
            }

            Assert.Equal(1, count());
        });

        await Task.WhenAll(
            Consume(() => Interlocked.Increment(ref first), () => Volatile.Read(ref first)),
            Consume(() => Interlocked.Increment(ref second), () => Volatile.Read(ref second)));
    }
}
