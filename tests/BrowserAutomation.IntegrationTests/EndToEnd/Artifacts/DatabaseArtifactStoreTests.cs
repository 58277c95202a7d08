using BrowserAutomation.IntegrationTests.Support;

namespace BrowserAutomation.IntegrationTests.EndToEnd.Artifacts;

/// <summary>ARTIFACT_STORAGE_TYPE=database: bytes in job_artifacts, read in chunks; retention of jobs, inbox and worker rows.</summary>
[Collection(DatabaseStoreStackDefinition.Name)]
public sealed class DatabaseArtifactStoreTests(DatabaseStoreStackFixture stack)
{
    [Fact]
    public Task Downloads_stream_with_range_and_etag_and_retention_deletes_old_jobs() =>
        ArtifactStoreScenarios.Downloads_stream_with_range_and_etag_and_retention_deletes_old_jobs(stack);

    [Fact]
    public async Task Retention_deletes_old_consumed_inbox_rows_and_long_gone_workers_and_keeps_recent_ones()
    {
        var oldMessage = Guid.NewGuid();
        var recentMessage = Guid.NewGuid();
        var pendingMessage = Guid.NewGuid();
        await stack.Database.ScalarAsync<int>(
            """
            WITH i AS (INSERT INTO inbox_states (message_id, consumer_id, received, receive_count, consumed) VALUES
                (@p0, @p3, now() - interval '30 days', 1, now() - interval '30 days'),
                (@p1, @p3, now() - interval '1 hour', 1, now() - interval '1 hour'),
                (@p2, @p3, now() - interval '30 days', 1, NULL) RETURNING 1)
            SELECT count(*)::int FROM i
            """, oldMessage, recentMessage, pendingMessage, Guid.NewGuid());
        var goneWorker = await stack.Database.ScalarAsync<Guid>(
            "INSERT INTO browser_workers (browser_type_id, status, last_heartbeat, started_at) VALUES (1, 'offline', now() - interval '30 days', now() - interval '31 days') RETURNING id");

        await Wait.UntilAsync(async () => await stack.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_states WHERE message_id = @p0", oldMessage) == 0
                                          && await stack.Database.ScalarAsync<long>("SELECT count(*) FROM browser_workers WHERE id = @p0", goneWorker) == 0,
            TimeSpan.FromSeconds(30), $"retention to delete the old inbox and worker rows\nAPI:\n{stack.Api.Tail}");

        Assert.Equal(1, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_states WHERE message_id = @p0", recentMessage));
        // Not consumed: a delivery still in progress, whatever its age.
        Assert.Equal(1, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM inbox_states WHERE message_id = @p0", pendingMessage));
        Assert.True(await stack.Database.ScalarAsync<long>("SELECT count(*) FROM browser_workers") >= 1, "the running worker's row stays");
    }
}
