using BrowserAutomation.Persistence;
using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Persistence.Entities;
using BrowserAutomation.Persistence.Messaging;
using MassTransit;
using Npgsql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BrowserAutomation.IntegrationTests.Persistence.Messaging;

/// <summary>The PostgreSQL outbox and inbox against real PostgreSQL and RabbitMQ.</summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestVirtualHost _vhost = null!;
    private readonly MessageCollector<OutboxProbe> _probes = new();
    private readonly MessageCollector<ProbeHandled> _handled = new();
    private readonly List<IHost> _hosts = [];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _vhost = await TestVirtualHost.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<IHost> StartHostAsync(int? rabbitPort = null, bool dispatcher = true, bool start = true, Action<OutboxOptions>? outbox = null,
        string? applicationName = null)
    {
        var host = TestHosts.Create(_database, _vhost,
            x =>
            {
                x.AddConsumer<ProbeConsumer>();
                x.AddConsumer<ProbeHandledConsumer>();
            },
            (context, cfg) =>
            {
                cfg.ReceiveEndpoint("outbox-probe", e =>
                {
                    e.UseDatabaseRetry();
                    e.UsePostgresOutbox(context);
                    e.ConfigureConsumer<ProbeConsumer>(context);
                });
                cfg.ReceiveEndpoint("outbox-probe-handled", e => e.ConfigureConsumer<ProbeHandledConsumer>(context));
            },
            rabbitPort, dispatcher,
            services =>
            {
                services.AddSingleton(_probes);
                services.AddSingleton(_handled);
                if (outbox is not null)
                {
                    services.Configure(outbox);
                }

                if (applicationName is not null)
                {
                    services.Configure<DatabaseOptions>(o => o.ApplicationName = applicationName);
                }
            });
        _hosts.Add(host);
        if (start)
        {
            await host.StartAsync();
        }

        return host;
    }

    private static async Task PublishAsync(IHost host, OutboxProbe message, bool commit = true)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();

        await using var transaction = await db.Database.BeginTransactionAsync();
        await publish.Publish(message);
        await db.SaveChangesAsync();
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }
    }

    private Task<long> OutboxCountAsync() => _database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages");

    [Fact]
    public async Task A_rolled_back_transaction_publishes_nothing()
    {
        var host = await StartHostAsync();
        var rolledBack = new OutboxProbe(Guid.NewGuid(), "rolled back");

        await PublishAsync(host, rolledBack, commit: false);
        Assert.Equal(0, await OutboxCountAsync());

        // A later committed message arrives; the rolled-back one was never stored, so it can never be sent.
        var marker = new OutboxProbe(Guid.NewGuid(), "marker");
        await PublishAsync(host, marker);
        await _probes.WaitForAsync(m => m.Id == marker.Id, "the committed marker");

        Assert.DoesNotContain(_probes.All, r => r.Message.Id == rolledBack.Id);
    }

    [Fact]
    public async Task A_committed_message_is_published_exactly_once_without_waiting_for_a_poll()
    {
        var host = await StartHostAsync();
        var message = new OutboxProbe(Guid.NewGuid(), "committed");

        await PublishAsync(host, message);
        // The fallback poll is a minute; arriving well within the wait below proves the commit woke the dispatcher.
        await _probes.WaitForAsync(m => m.Id == message.Id, "the committed message", seconds: 15);

        var marker = new OutboxProbe(Guid.NewGuid(), "marker");
        await PublishAsync(host, marker);
        await _probes.WaitForAsync(m => m.Id == marker.Id, "the marker");

        Assert.Single(_probes.All, r => r.Message.Id == message.Id);
        await Wait.UntilAsync(async () => await OutboxCountAsync() == 0, TimeSpan.FromSeconds(10), "the outbox to be emptied");
    }

    [Fact]
    public async Task A_message_written_while_RabbitMQ_is_unreachable_is_delivered_once_it_is_back()
    {
        await using var proxy = new TcpProxy(TestSettings.RabbitPort);
        var host = await StartHostAsync(proxy.Port);
        var warmup = new OutboxProbe(Guid.NewGuid(), "warm-up");
        await PublishAsync(host, warmup);
        await _probes.WaitForAsync(m => m.Id == warmup.Id, "the warm-up message");

        proxy.Disable();
        var message = new OutboxProbe(Guid.NewGuid(), "written while the broker is away");
        await PublishAsync(host, message);

        // The dispatcher tried, failed, and kept the row for later.
        await Wait.UntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE attempts > 0") > 0,
            TimeSpan.FromSeconds(30), "a failed send attempt to be recorded");
        Assert.DoesNotContain(_probes.All, r => r.Message.Id == message.Id);

        proxy.Enable();
        // Bounded by MassTransit's reconnect back-off (at most 30 s) plus one send timeout.
        await _probes.WaitForAsync(m => m.Id == message.Id, "delivery after the broker came back", seconds: 90);
        await Wait.UntilAsync(async () => await OutboxCountAsync() == 0, TimeSpan.FromSeconds(10), "the outbox to be emptied");
        Assert.Single(_probes.All, r => r.Message.Id == message.Id);
    }

    [Fact]
    public async Task A_row_committed_before_a_crash_is_sent_by_the_next_process()
    {
        // This host never dispatches: it stands for a process that died right after its commit.
        var crashed = await StartHostAsync(dispatcher: false, start: false);
        var message = new OutboxProbe(Guid.NewGuid(), "committed, then crashed");
        await PublishAsync(crashed, message);
        Assert.Equal(1, await OutboxCountAsync());

        await StartHostAsync();
        try
        {
            await _probes.WaitForAsync(m => m.Id == message.Id, "the surviving row to be sent");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + " Outbox: " + await _database.ScalarAsync<string>(
                "SELECT coalesce(string_agg(attempts || ' ' || coalesce(last_error, '-') || ' ' || destination_address, '; '), 'empty') FROM outbox_messages"));
        }
        Assert.Single(_probes.All, r => r.Message.Id == message.Id);
    }

    [Fact]
    public async Task Rows_a_dispatching_process_committed_but_never_sent_go_out_when_their_lease_ends()
    {
        // This process's dispatcher is handed its rows at commit (they are leased to it), but it dies before sending them.
        var crashed = await StartHostAsync(start: false, outbox: o => o.HandOffLeaseMs = 3_000);
        crashed.Services.GetRequiredService<OutboxSignal>().Dispatching = true;
        var message = new OutboxProbe(Guid.NewGuid(), "committed, handed over, then crashed");
        await PublishAsync(crashed, message);
        var lockedUntil = await _database.ScalarAsync<DateTime>("SELECT locked_until FROM outbox_messages");
        Assert.InRange(lockedUntil, DateTime.UtcNow.AddSeconds(1), DateTime.UtcNow.AddSeconds(4));

        // Another dispatcher leaves the row alone while the lease runs, then its poll finds and sends it.
        await StartHostAsync(outbox: o => o.PollIntervalMs = 500);
        await _probes.WaitForAsync(m => m.Id == message.Id, "the leased row to be sent once its lease ended", seconds: 30);
        var received = Assert.Single(_probes.All, r => r.Message.Id == message.Id);
        Assert.True(received.At >= lockedUntil.AddMilliseconds(-50), $"received at {received.At:O}, leased until {lockedUntil:O}");
        await Wait.UntilAsync(async () => await OutboxCountAsync() == 0, TimeSpan.FromSeconds(10), "the outbox to be emptied");
    }

    [Fact]
    public async Task Rows_leased_to_a_process_that_is_gone_are_taken_over_without_waiting_for_the_lease()
    {
        // A dispatching process of its own name commits a row (leased to it for ten minutes), then dies.
        const string owner = "ba-dispatching:gone-host:1";
        var crashed = await StartHostAsync(start: false, outbox: o => o.HandOffLeaseMs = 600_000, applicationName: owner);
        crashed.Services.GetRequiredService<OutboxSignal>().Dispatching = true;
        var message = new OutboxProbe(Guid.NewGuid(), "committed by a process that died");
        await PublishAsync(crashed, message);
        Assert.Equal(owner, await _database.ScalarAsync<string>("SELECT locked_by FROM outbox_messages"));

        // Its pooled connections close: PostgreSQL has no session of it any more.
        NpgsqlConnection.ClearAllPools();
        await Wait.UntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = @p0", owner) == 0,
            TimeSpan.FromSeconds(10), "the dead process's sessions to end");

        await StartHostAsync(outbox: o => o.PollIntervalMs = 500);
        await _probes.WaitForAsync(m => m.Id == message.Id, "the dead process's row to be taken over", seconds: 30);
        await Wait.UntilAsync(async () => await OutboxCountAsync() == 0, TimeSpan.FromSeconds(10), "the outbox to be emptied");
    }

    [Fact]
    public async Task Rows_of_a_transaction_abandoned_without_a_rollback_are_never_handed_over()
    {
        var host = await StartHostAsync();
        var abandoned = new OutboxProbe(Guid.NewGuid(), "saved in a transaction that was disposed uncommitted");
        var marker = new OutboxProbe(Guid.NewGuid(), "committed next on the same connection");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
            var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            await db.Database.OpenConnectionAsync();
            await using (await db.Database.BeginTransactionAsync())
            {
                await publish.Publish(abandoned);
                await db.SaveChangesAsync();
            }

            // The next transaction on the same connection (Npgsql may reuse the transaction object) commits only the marker.
            await using var transaction = await db.Database.BeginTransactionAsync();
            await publish.Publish(marker);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await _probes.WaitForAsync(m => m.Id == marker.Id, "the committed marker");
        await Wait.UntilAsync(async () => await OutboxCountAsync() == 0, TimeSpan.FromSeconds(10), "the outbox to be emptied");
        // Anything sent with the marker would have arrived before a message sent after it.
        var last = new OutboxProbe(Guid.NewGuid(), "last");
        await PublishAsync(host, last);
        await _probes.WaitForAsync(m => m.Id == last.Id, "the last marker");
        Assert.DoesNotContain(_probes.All, r => r.Message.Id == abandoned.Id);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_changes_state_once()
    {
        var host = await StartHostAsync();
        var jobId = await CreateJobAsync();
        var messageId = NewId.NextGuid();
        var message = new OutboxProbe(Guid.NewGuid(), "duplicate", jobId);

        // Straight to the broker, twice with the same message id: what a redelivery looks like to the consumer.
        var bus = host.Services.GetRequiredService<IBus>();
        await bus.Publish(message, c => c.MessageId = messageId);
        await bus.Publish(message, c => c.MessageId = messageId);

        await Wait.UntilAsync(async () => _probes.All.Count(r => r.Message.Id == message.Id) == 1
                && await _database.ScalarAsync<int>("SELECT coalesce(max(receive_count), 0) FROM inbox_states WHERE message_id = @p0", messageId) == 2,
            TimeSpan.FromSeconds(20), "both deliveries to reach the inbox");
        await _handled.WaitForAsync(h => h.Id == message.Id, "the follow-up published through the consumer outbox");

        Assert.Equal(1, await _database.ScalarAsync<long>("SELECT count(*) FROM job_logs WHERE job_id = @p0", jobId));
        var marker = new OutboxProbe(Guid.NewGuid(), "marker", jobId);
        await bus.Publish(marker);
        await _handled.WaitForAsync(h => h.Id == marker.Id, "the marker's follow-up");
        Assert.Single(_handled.All, h => h.Message.Id == message.Id);
        Assert.Single(_probes.All, r => r.Message.Id == message.Id);
    }

    [Fact]
    public async Task A_delayed_message_waits_in_the_database_until_its_time()
    {
        var host = await StartHostAsync();
        var message = new OutboxProbe(Guid.NewGuid(), "delayed");
        var due = DateTime.UtcNow.AddSeconds(3);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AutomationDbContext>();
            var scheduler = scope.ServiceProvider.GetRequiredService<IMessageScheduler>();
            await scheduler.SchedulePublish(due, message);
            await db.SaveChangesAsync();
        }

        var deliverAfter = await _database.ScalarAsync<DateTime>("SELECT deliver_after FROM outbox_messages");
        Assert.InRange(deliverAfter, due.AddMilliseconds(-500), due.AddMilliseconds(500));

        await _probes.WaitForAsync(m => m.Id == message.Id, "the delayed message", seconds: 30);
        var received = Assert.Single(_probes.All, r => r.Message.Id == message.Id);
        Assert.True(received.At >= deliverAfter.AddMilliseconds(-50), $"received at {received.At:O}, due {deliverAfter:O}");
    }

    private Task<Guid> CreateJobAsync() => _database.InsertPendingJobAsync();
}
