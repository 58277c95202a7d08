using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence.Configuration;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// Sends committed outbox rows to RabbitMQ and deletes them. Each process dispatches the rows it commits, woken
/// at once by its own commit; a PostgreSQL NOTIFY wakes it only for rows written by processes without a dispatcher
/// (so dispatchers do not all race for every row). Rows left by a crashed process are found by the fallback poll.
/// Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of dispatchers can run. A row that fails to send is
/// retried later with growing delays and is never lost; a row sent twice is absorbed by the consumers' inbox.
/// </summary>
internal sealed class OutboxDispatcher(
    IServiceScopeFactory scopeFactory,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    IOptions<DatabaseOptions> database,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const string Channel = "outbox_messages";

    /// <summary>Marks the connections of processes that dispatch their own rows.</summary>
    private const string DispatchingPrefix = "ba-dispatching:";

    internal static string ApplicationName(bool dispatching) =>
        $"{(dispatching ? DispatchingPrefix : "ba:")}{Environment.MachineName}:{Environment.ProcessId}";

    private readonly OutboxOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DispatcherEnabled)
        {
            return;
        }

        var listener = ListenAsync(stoppingToken);
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
                    wait = due < TimeSpan.Zero ? TimeSpan.Zero : due;
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
                logger.LogWarning(exception, "Outbox dispatch failed; retrying in {Delay} ms", wait.TotalMilliseconds);
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

        try
        {
            await listener;
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Sends one batch of due rows; returns how many were claimed and when the next delayed row is due.</summary>
    /// <remarks>
    /// Three round trips when rows are due (claim and next due time in one batch; deletes and retry marks in one
    /// batch; COMMIT), two when none are, in plain Npgsql on the context's connection: the dispatcher runs after every
    /// commit that wrote outbox rows, so its cost is paid several times per job.
    /// </remarks>
    internal async Task<(int Claimed, TimeSpan? NextDue)> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();

        // The next due time is asked in the claiming transaction, whose now() is the claim's own timestamp: a row that
        // becomes due while this batch is sending still counts as next. Rows this process commits meanwhile wake the
        // loop again through the signal; another dispatching process sends its own.
        var (rows, next) = await OutboxRows.ClaimAsync(connection, npgsqlTransaction, _options.BatchSize, cancellationToken);
        if (rows.Count > 0)
        {
            var results = await Task.WhenAll(rows.Select(row => SendAsync(row, cancellationToken)));
            var failed = new List<(OutboxMessage Row, string Error)>();
            for (var i = 0; i < rows.Count; i++)
            {
                if (results[i] is { } error)
                {
                    failed.Add((rows[i], error));
                }
            }

            var now = DateTime.UtcNow;
            await OutboxRows.FinishAsync(connection, npgsqlTransaction,
                [.. rows.Where((_, i) => results[i] is null).Select(r => r.SequenceNumber)],
                [.. failed.Select(f => (f.Row.SequenceNumber, f.Error, now + RetryDelay(f.Row.Attempts + 1)))],
                cancellationToken);
            foreach (var (row, _) in failed)
            {
                var due = now + RetryDelay(row.Attempts + 1);
                next = next is { } known && known < due ? known : due;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (rows.Count, next is { } at ? at - DateTime.UtcNow : null);
    }

    private async Task<string?> SendAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        if (row.DestinationAddress is null)
        {
            return "No destination address";
        }

        using var span = AutomationSpans.StartOutboxDispatch(row.TraceParent, row.TraceState, row.MessageId,
            row.MessageType.Split(';')[0], row.Attempts);
        try
        {
            row.PrepareForSend();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.SendTimeoutMs);

            var endpoint = await bus.GetSendEndpoint(row.DestinationAddress);
            var restore = new OutboxMessageSendPipe(row, row.DestinationAddress);
            // Mandatory: a message no queue is bound for yet is returned by the broker and stays in the outbox,
            // instead of being dropped silently (e.g. a job submitted before any worker declared its queue).
            var mandatory = !BusTopology.IsBroadcast(row.MessageType);
            await endpoint.Send(new SerializedMessageBody(), Pipe.ExecuteAsync<SendContext>(async context =>
            {
                await restore.Send(context);
                if (mandatory && context is RabbitMqSendContext rabbit)
                {
                    rabbit.Mandatory = true;
                }
            }), timeout.Token);
            return null;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            AutomationSpans.SetOutcome(span, exception.GetType().Name);
            logger.LogWarning("Outbox send of {MessageId} to {Destination} failed (attempt {Attempt}): {Error}",
                row.MessageId, row.DestinationAddress, row.Attempts + 1, exception.Message);
            return exception.Message;
        }
    }

    private static TimeSpan RetryDelay(int attempts) => TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(attempts, 6))));

    /// <summary>Listens for NOTIFY from the outbox trigger; rows may have been committed while nobody listened.</summary>
    private Task ListenAsync(CancellationToken stoppingToken) =>
        PostgresNotifications.ListenAsync(database.Value, Channel,
            payload =>
            {
                if (!payload.StartsWith(DispatchingPrefix, StringComparison.Ordinal))
                {
                    signal.Notify();
                }
            },
            signal.Notify, onLost: null, logger, stoppingToken);
}
