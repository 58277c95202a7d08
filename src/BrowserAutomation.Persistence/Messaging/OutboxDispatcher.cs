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
/// Sends committed outbox rows to RabbitMQ and deletes them. Each process sends the rows it commits: they are leased
/// to its dispatcher when saved and handed to it at commit (<see cref="OutboxCommitInterceptor"/>), so it sends them
/// from memory at once. It reads the table only for other rows: those of processes without a dispatcher (a PostgreSQL
/// NOTIFY wakes it), delayed rows when due, failed sends to retry, and on the fallback poll the rows of a process that
/// died (as soon as none of its sessions is left in PostgreSQL, at the latest when their lease ends). Read rows are claimed with FOR UPDATE SKIP LOCKED, so any number of dispatchers can
/// run. A row that fails to send is retried later with growing delays and is never lost; a row sent twice is absorbed
/// by the consumers' inbox.
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

    /// <summary>How long sent hand-off rows may wait to be deleted together with later ones (one transaction instead of many).</summary>
    internal static readonly TimeSpan SentDeleteDelay = TimeSpan.FromMilliseconds(50);

    private readonly OutboxOptions _options = options.Value;

    // Handed-off rows sent but not yet deleted, and when they must be: under load, many sends share one delete.
    private readonly List<long> _sent = [];
    private DateTime _deleteSentBy = DateTime.MaxValue;

    // The hand-off's own connection (the loop uses one at a time; closed after 15 s idle): its commits do not wait for
    // the WAL flush (losing one in a crash only means its rows are sent again), so deleting what was sent is one round
    // trip with no disk wait.
    private readonly Lazy<NpgsqlDataSource> _handOffConnections = new(() => NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(database.Value.BuildConnectionString())
        {
            Options = "-c synchronous_commit=off", MaxPoolSize = 1, ConnectionIdleLifetime = 15,
        }));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DispatcherEnabled)
        {
            return;
        }

        var listener = ListenAsync(stoppingToken);
        var poll = TimeSpan.FromMilliseconds(_options.PollIntervalMs);
        var failures = 0;
        // The table is read at start (rows earlier processes left), when asked to, when a delayed row is due, and on the
        // fallback poll; rows this process commits are handed over at commit and never read back.
        var nextClaim = DateTime.MinValue;
        signal.Dispatching = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan wait;
                try
                {
                    while (signal.TakeHandedOff(_options.BatchSize) is { Count: > 0 } rows)
                    {
                        await SendHandedOffAsync(rows, stoppingToken);
                    }

                    if (DateTime.UtcNow >= _deleteSentBy)
                    {
                        await DeleteSentAsync([], stoppingToken);
                    }

                    if (signal.TakeEarliestDue() is { } due && due < nextClaim)
                    {
                        nextClaim = due;
                    }

                    var now = DateTime.UtcNow;
                    if (signal.TakeClaimRequest() || now >= nextClaim)
                    {
                        var (claimed, nextDue) = await DispatchBatchAsync(stoppingToken);
                        nextClaim = claimed >= _options.BatchSize ? now : now + (nextDue is { } d && d < poll ? d : poll);
                    }

                    failures = 0;
                    wait = (nextClaim < _deleteSentBy ? nextClaim : _deleteSentBy) - DateTime.UtcNow;
                    wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception)
                {
                    failures++;
                    wait = TimeSpan.FromMilliseconds(Math.Min(5000, 100 * Math.Pow(2, Math.Min(failures, 6))));
                    nextClaim = DateTime.UtcNow + wait;
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
        }
        finally
        {
            signal.Dispatching = false;
            await DeleteSentAtStopAsync();
            await ReleaseHandedOffAsync();
            if (_handOffConnections.IsValueCreated)
            {
                await _handOffConnections.Value.DisposeAsync();
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

    /// <summary>
    /// Sends rows this process committed. The sent ones are deleted within <see cref="SentDeleteDelay"/>, together with
    /// those of later sends (or at once when a batch's worth waits), in one round trip that does not wait for its WAL
    /// flush; failed ones are marked for a retry at once. Until deleted they stay leased to this process, so no other
    /// dispatcher sends them; should it die first, they are sent again when the lease ends and the inbox absorbs them.
    /// </summary>
    private async Task SendHandedOffAsync(List<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(rows.Select(row => SendAsync(row, cancellationToken)));
        if (_sent.Count == 0)
        {
            _deleteSentBy = DateTime.UtcNow + SentDeleteDelay;
        }

        _sent.AddRange(rows.Where((_, i) => results[i] is null).Select(r => r.SequenceNumber));
        var failed = Failed(rows, results);
        if (failed.Length > 0 || _sent.Count >= _options.BatchSize)
        {
            await DeleteSentAsync(failed, cancellationToken);
        }
    }

    /// <summary>Deletes the sent hand-off rows and marks <paramref name="failed"/> for a retry, in one round trip.</summary>
    private async Task DeleteSentAsync((long SequenceNumber, string Error, DateTime Due)[] failed, CancellationToken cancellationToken)
    {
        if (_sent.Count > 0 || failed.Length > 0)
        {
            await using var connection = await _handOffConnections.Value.OpenConnectionAsync(cancellationToken);
            await OutboxRows.FinishAsync(connection, transaction: null, [.. _sent], failed, asynchronousCommit: false, cancellationToken);
        }

        _sent.Clear();
        _deleteSentBy = DateTime.MaxValue;
        if (failed.Length > 0)
        {
            signal.DueAt(failed.Min(f => f.Due));
        }
    }

    /// <summary>Sent rows not yet deleted when the dispatcher stops are deleted now (or sent again after their lease).</summary>
    private async Task DeleteSentAtStopAsync()
    {
        if (_sent.Count == 0)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await DeleteSentAsync([], timeout.Token);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Could not delete {Count} sent outbox rows at shutdown; they are sent again when their lease ends",
                _sent.Count);
        }
    }

    /// <summary>Rows handed over but not sent when the dispatcher stops are given back to every dispatcher at once.</summary>
    private async Task ReleaseHandedOffAsync()
    {
        var left = signal.TakeHandedOff(int.MaxValue);
        if (left.Count == 0)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var connection = await _handOffConnections.Value.OpenConnectionAsync(timeout.Token);
            await OutboxRows.ReleaseAsync(connection, [.. left.Select(r => r.SequenceNumber)], timeout.Token);
        }
        catch (Exception exception)
        {
            // They are claimed when their lease ends instead.
            logger.LogWarning(exception, "Could not give back {Count} outbox rows at shutdown; other dispatchers send them when their lease ends",
                left.Count);
        }
    }

    /// <summary>Sends one batch of due rows; returns how many were claimed and when the next delayed row is due.</summary>
    /// <remarks>
    /// Three round trips when rows are due (claim and next due time in one batch; deletes and retry marks in one
    /// batch; COMMIT), two when none are, in plain Npgsql on the context's connection.
    /// </remarks>
    internal async Task<(int Claimed, TimeSpan? NextDue)> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();

        // The next due time is asked in the claiming transaction, whose now() is the claim's own timestamp: a row that
        // becomes due while this batch is sending still counts as next.
        var (rows, next) = await OutboxRows.ClaimAsync(connection, npgsqlTransaction, _options.BatchSize, cancellationToken);
        if (rows.Count > 0)
        {
            var results = await Task.WhenAll(rows.Select(row => SendAsync(row, cancellationToken)));
            if (await FinishAsync(connection, npgsqlTransaction, rows, results, asynchronousCommit: true, cancellationToken) is { } due)
            {
                next = next is { } known && known < due ? known : due;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (rows.Count, next is { } at ? at - DateTime.UtcNow : null);
    }

    /// <summary>Deletes the sent rows and schedules the failed ones for a retry; returns the earliest retry time.</summary>
    private static async Task<DateTime?> FinishAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, List<OutboxMessage> rows,
        string?[] results, bool asynchronousCommit, CancellationToken cancellationToken)
    {
        var failed = Failed(rows, results);
        await OutboxRows.FinishAsync(connection, transaction, [.. rows.Where((_, i) => results[i] is null).Select(r => r.SequenceNumber)], failed,
            asynchronousCommit, cancellationToken);
        return failed.Length == 0 ? null : failed.Min(f => f.Due);
    }

    /// <summary>The rows whose send failed, with the error and when to try again.</summary>
    private static (long SequenceNumber, string Error, DateTime Due)[] Failed(List<OutboxMessage> rows, string?[] results)
    {
        var now = DateTime.UtcNow;
        return [.. rows.Select((row, i) => (Row: row, Error: results[i]))
            .Where(f => f.Error is not null)
            .Select(f => (f.Row.SequenceNumber, f.Error!, Due: now + RetryDelay(f.Row.Attempts + 1)))];
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
                    signal.RequestClaim();
                }
            },
            signal.RequestClaim, onLost: null, logger, stoppingToken);
}
