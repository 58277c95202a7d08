namespace BrowserAutomation.Persistence.Webhooks;

/// <summary>
/// What this process knows of jobs' webhooks, so a transition does not query job_webhooks each time. A job's webhook
/// is created with the job and never changes or appears later (it goes only with the job itself), so a remembered
/// answer, found or absent, stays true. Two generations bound the memory: when the newer one is full it becomes the
/// older one and the oldest answers are forgotten (and asked again if ever needed).
/// </summary>
internal sealed class JobWebhookCache
{
    private const int GenerationSize = 50_000;

    private readonly Lock _lock = new();
    private Dictionary<Guid, JobWebhook?> _current = [];
    private Dictionary<Guid, JobWebhook?> _previous = [];

    public bool TryGet(Guid jobId, out JobWebhook? webhook)
    {
        lock (_lock)
        {
            return _current.TryGetValue(jobId, out webhook) || _previous.TryGetValue(jobId, out webhook);
        }
    }

    public void Remember(Guid jobId, JobWebhook? webhook)
    {
        lock (_lock)
        {
            if (_current.Count >= GenerationSize)
            {
                (_previous, _current) = (_current, []);
            }

            // A copy: the caller's instance may be tracked by its context.
            _current[jobId] = webhook is null ? null : new JobWebhook { JobId = jobId, Url = webhook.Url, Events = [.. webhook.Events], SignerId = webhook.SignerId };
        }
    }
}
