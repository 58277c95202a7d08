using BrowserAutomation.Persistence.Webhooks;

namespace BrowserAutomation.UnitTests.Persistence.Webhooks;

public sealed class JobWebhookCacheTests
{
    [Fact]
    public void Answers_found_and_absent_are_remembered_as_copies()
    {
        var cache = new JobWebhookCache();
        var with = Guid.NewGuid();
        var without = Guid.NewGuid();
        var webhook = new JobWebhook { JobId = with, Url = "https://hooks.test/", Events = ["job.completed"], SignerId = "key:1" };
        cache.Remember(with, webhook);
        cache.Remember(without, null);
        webhook.Events.Add("job.failed");

        Assert.True(cache.TryGet(with, out var found));
        Assert.Equal(["job.completed"], found!.Events);
        Assert.True(cache.TryGet(without, out var none));
        Assert.Null(none);
        Assert.False(cache.TryGet(Guid.NewGuid(), out _));
    }

    [Fact]
    public void The_oldest_answers_are_forgotten_beyond_two_generations()
    {
        var cache = new JobWebhookCache();
        var first = Guid.NewGuid();
        cache.Remember(first, null);
        for (var i = 0; i < 100_001; i++)
        {
            cache.Remember(Guid.NewGuid(), null);
        }

        Assert.False(cache.TryGet(first, out _));
    }
}
