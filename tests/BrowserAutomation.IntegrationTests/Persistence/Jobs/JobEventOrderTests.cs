using Npgsql;

namespace BrowserAutomation.IntegrationTests.Persistence.Jobs;

/// <summary>
/// job_events ids, which the live streams resume from ("id &gt; N"): drawn in commit order, so a reader that has seen
/// id N never sees a smaller id appear later, and drawn at commit, so an open transaction never holds up another's
/// status transition.
/// </summary>
public sealed class JobEventOrderTests : IAsyncLifetime
{
    private const string InsertSql = """
        INSERT INTO job_events (job_id, owner, status, previous_status, version, attempt, changed_at)
        VALUES (@job, 'default', @status, 'pending', @version, 1, now()) RETURNING id
        """;

    // Generous: only reached if the second transaction waits for the first, which the test then reports.
    private static readonly TimeSpan NotBlocked = TimeSpan.FromSeconds(30);

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task An_open_transaction_does_not_hold_up_another_and_ids_follow_commit_order()
    {
        var first = await _database.InsertPendingJobAsync();
        var second = await _database.InsertPendingJobAsync();

        await using var early = await OpenAsync();
        await using var earlyTransaction = await early.BeginTransactionAsync();
        await InsertAsync(early, earlyTransaction, first, "processing", 1);

        // Inserted after the open one, committed before it.
        await using var late = await OpenAsync();
        using (var timeout = new CancellationTokenSource(NotBlocked))
        {
            await using var lateTransaction = await late.BeginTransactionAsync(timeout.Token);
            await InsertAsync(late, lateTransaction, second, "processing", 1, timeout.Token);
            await lateTransaction.CommitAsync(timeout.Token);
        }

        var lateId = await IdOfAsync(second);
        Assert.True(lateId > 0, $"a committed event has a positive id, got {lateId}");
        // The open transaction's event is invisible until it commits: a reader resuming after lateId misses nothing.
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM job_events WHERE job_id = @p0", first));

        await earlyTransaction.CommitAsync();
        Assert.True(await IdOfAsync(first) > lateId, "the transaction that committed last has the larger id");
    }

    [Fact]
    public async Task Events_of_one_transaction_get_increasing_ids_in_insert_order()
    {
        var job = await _database.InsertPendingJobAsync();
        await using var connection = await OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await InsertAsync(connection, transaction, job, "processing", 1);
            await InsertAsync(connection, transaction, job, "completed", 2);
            await transaction.CommitAsync();
        }

        await using var command = new NpgsqlCommand("SELECT version FROM job_events WHERE job_id = @job ORDER BY id", connection);
        command.Parameters.AddWithValue("job", job);
        var versions = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                versions.Add(reader.GetInt32(0));
            }
        }

        Assert.Equal([1, 2], versions);
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM job_events WHERE id <= 0"));
    }

    [Fact]
    public async Task A_rolled_back_event_leaves_no_row()
    {
        var job = await _database.InsertPendingJobAsync();
        await using var connection = await OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await InsertAsync(connection, transaction, job, "processing", 1);
            await transaction.RollbackAsync();
        }

        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM job_events WHERE job_id = @p0", job));
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid job, string status, int version,
        CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("version", version);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private Task<long> IdOfAsync(Guid job) => _database.ScalarAsync<long>("SELECT id FROM job_events WHERE job_id = @p0", job);
}
