using System.Diagnostics;
using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Api.Webhooks;

/// <summary>
/// Delivers pending webhooks. A batch of due rows is claimed in one statement (FOR UPDATE SKIP LOCKED) that also
/// moves each row's next attempt past the attempt's timeout: that lease is what keeps two API copies from sending the
/// same delivery at once, and a copy that dies mid-attempt leaves the row to be retried when the lease runs out.
/// Nothing lives only in memory: a restart picks up where the table says.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopeFactory,
    WebhookSignal signal,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly WebhookOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DispatcherEnabled)
        {
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var (claimed, nextDue) = await DispatchBatchAsync(stoppingToken);
                failures = 0;
                if (claimed >= _options.BatchSize)
                {
                    continue;
                }

                wait = TimeSpan.FromMilliseconds(_options.PollIntervalMs);
                if (nextDue is { } due && due < wait)
                {
                    // Rounded up, so the wake-up is never a moment before the row is due.
                    wait = due <= TimeSpan.Zero ? TimeSpan.Zero : due + TimeSpan.FromMilliseconds(5);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                failures++;
                wait = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(failures, 6))));
                logger.LogWarning(exception, "Webhook dispatch failed; retrying in {Delay} ms", wait.TotalMilliseconds);
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Claims and sends one batch; returns how many were claimed and when the next pending row is due.</summary>
    public async Task<(int Claimed, TimeSpan? NextDue)> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        var keys = scope.ServiceProvider.GetRequiredService<WebhookKeys>();
        var leaseMs = _options.TimeoutMs + 30_000;
        var rows = await db.Set<WebhookDelivery>().FromSql($"""
            UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = now(),
                next_attempt_at = now() + {leaseMs} * interval '1 millisecond'
            WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
                         ORDER BY next_attempt_at LIMIT {_options.BatchSize} FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);

        var secrets = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var signer in rows.Select(r => r.SignerId).Distinct())
        {
            secrets[signer] = await keys.SigningSecretAsync(signer, cancellationToken);
        }

        await Task.WhenAll(rows.Select(row => DeliverAsync(row, secrets[row.SignerId], cancellationToken)));

        var next = await db.Database
            .SqlQuery<DateTime?>($"SELECT min(next_attempt_at) AS \"Value\" FROM webhook_deliveries WHERE status = 'pending'")
            .SingleAsync(cancellationToken);
        return (rows.Count, next is { } at ? at - DateTime.UtcNow : null);
    }

    private async Task DeliverAsync(WebhookDelivery row, string? secret, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var attempt = await sender.SendAsync(row, secret, cancellationToken);
        var now = DateTime.UtcNow;
        var tags = new TagList { { "event", row.EventType } };

        string status;
        var nextAttempt = now;
        if (attempt.Delivered)
        {
            status = WebhookDelivery.Delivered;
        }
        else if (attempt.Final)
        {
            status = WebhookDelivery.Dead;
        }
        else
        {
            nextAttempt = now + RetryDelay(row.Attempts);
            status = nextAttempt > row.QueuedAt.AddMilliseconds(_options.MaxAgeMs) ? WebhookDelivery.Dead : WebhookDelivery.Pending;
        }

        var outcome = status == WebhookDelivery.Pending ? "retry" : status;
        tags.Add("outcome", outcome);
        WebhookMetrics.Attempts.Add(1, tags);
        WebhookMetrics.AttemptDuration.Record((now - started).TotalSeconds, tags);
        if (status != WebhookDelivery.Pending)
        {
            WebhookMetrics.Deliveries.Add(1, tags);
        }

        if (status == WebhookDelivery.Delivered)
        {
            WebhookMetrics.DeliveryLatency.Record((now - row.QueuedAt).TotalSeconds, new TagList { { "event", row.EventType } });
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        var error = attempt.Error is { Length: > 1000 } text ? text[..1000] : attempt.Error;
        DateTime? deliveredAt = status == WebhookDelivery.Delivered ? now : null;
        // Only the claim this attempt belongs to may record it (a lease that ran out was claimed again elsewhere).
        await db.Set<WebhookDelivery>()
            .Where(d => d.Id == row.Id && d.Attempts == row.Attempts && d.Status == WebhookDelivery.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, status)
                .SetProperty(d => d.NextAttemptAt, nextAttempt)
                .SetProperty(d => d.LastStatusCode, attempt.StatusCode)
                .SetProperty(d => d.LastError, error)
                .SetProperty(d => d.DeliveredAt, d => deliveredAt ?? d.DeliveredAt), cancellationToken);

        if (status == WebhookDelivery.Pending)
        {
            logger.LogInformation("Webhook {DeliveryId} ({Event}) of job {JobId}: attempt {Attempt} failed ({Error}); next in {Delay} ms",
                row.Id, row.EventType, row.JobId, row.Attempts, error, (long)(nextAttempt - now).TotalMilliseconds);
        }
        else if (status == WebhookDelivery.Dead)
        {
            logger.LogWarning("Webhook {DeliveryId} ({Event}) of job {JobId} is dead after {Attempts} attempts: {Error}",
                row.Id, row.EventType, row.JobId, row.Attempts, error);
        }
        else
        {
            logger.LogInformation("Webhook {DeliveryId} ({Event}) of job {JobId} delivered on attempt {Attempt} ({StatusCode})",
                row.Id, row.EventType, row.JobId, row.Attempts, attempt.StatusCode);
        }
    }

    /// <summary>Exponential backoff from WEBHOOK_RETRY_BASE_DELAY_MS, capped, with jitter so receivers coming back are not stampeded.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var exponential = _options.RetryBaseDelayMs * Math.Pow(2, Math.Min(Math.Max(attempts - 1, 0), 30));
        var capped = Math.Min(exponential, _options.RetryMaxDelayMs);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }
}
