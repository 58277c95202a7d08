using System.Collections.Concurrent;
using System.Threading.Channels;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Status;

/// <summary>
/// Fans status events out to the live streams open on this API process. Every API copy receives every event
/// (a temporary queue of its own on the job-status-changed exchange), so a stream works whichever copy serves it.
/// </summary>
public sealed class JobStatusHub
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public Subscription Subscribe(Guid? jobId)
    {
        var subscription = new Subscription(this, jobId);
        _subscriptions[subscription] = 0;
        return subscription;
    }

    public void Publish(JobStatusChanged change)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            if (subscription.JobId is null || subscription.JobId == change.JobId)
            {
                subscription.Channel.Writer.TryWrite(change);
            }
        }
    }

    public sealed class Subscription : IDisposable
    {
        private readonly JobStatusHub _hub;

        internal Subscription(JobStatusHub hub, Guid? jobId)
        {
            _hub = hub;
            JobId = jobId;
        }

        public Guid? JobId { get; }

        // Bounded so a stalled client cannot grow memory; the oldest events give way (the stream re-reads the job).
        internal Channel<JobStatusChanged> Channel { get; } =
            System.Threading.Channels.Channel.CreateBounded<JobStatusChanged>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

        public ChannelReader<JobStatusChanged> Reader => Channel.Reader;

        public void Dispose()
        {
            _hub._subscriptions.TryRemove(this, out _);
            Channel.Writer.TryComplete();
        }
    }
}
