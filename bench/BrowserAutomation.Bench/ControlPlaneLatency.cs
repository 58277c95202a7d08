using Npgsql;

namespace BrowserAutomation.Bench;

/// <summary>
/// P3's latency rows: jobs one at a time through the simulated engine (no browser), so P2's pipeline time is measured
/// without a browser's noise. These jobs and P2's browser jobs are split into their hops by the timestamps the processes
/// write (all on this machine's clock): the job's creation (API), the worker's log rows when it picks the attempt up
/// and when it records the outcome, and the state machine's status events.
/// </summary>
internal static class ControlPlaneLatency
{
    /// <summary>One job's path as the client saw it; <paramref name="ExecutionMs"/> is the worker's own execution
    /// time (a browser job's Playwright time, 0 for the simulated engine), taken out of the worker's hop.</summary>
    public sealed record Sample(Guid Id, DateTime Sent, DateTime Returned, DateTime Done, double ExecutionMs);

    public static async Task RunAsync(BenchContext bench, int browserTypeId, int jobs, ResultTable table)
    {
        var samples = new List<Sample>(jobs);
        for (var i = 0; i < jobs; i++)
        {
            var sent = DateTime.UtcNow;
            var id = await ControlPlaneBench.SubmitWhenLiveAsync(bench, browserTypeId);
            var returned = DateTime.UtcNow;
            var done = await bench.CompletedAsync(id);
            bench.Forget(id);
            samples.Add(new Sample(id, sent, returned, done, 0));
        }

        var afterPost = samples.Select(s => (s.Done - s.Returned).TotalMilliseconds).ToList();
        var endToEnd = samples.Select(s => (s.Done - s.Sent).TotalMilliseconds).ToList();
        table.Add("P3", $"one job at a time, simulated engine ({jobs} jobs): POST returned -> completed event, p50 / p95 (ms)",
            $"{P(afterPost, 50)} / {P(afterPost, 95)}", $"POST sent -> completed event {P(endToEnd, 50)} / {P(endToEnd, 95)}", "-",
            "P2's pipeline time without a browser");
        await AddHopRowsAsync(bench, "P3", samples, table);
    }

    /// <summary>Each hop from the previous point of the jobs' path (p50 / p95 ms); a point a job lacks leaves it out.</summary>
    public static async Task AddHopRowsAsync(BenchContext bench, string row, IReadOnlyList<Sample> samples, ResultTable table)
    {
        var hops = await HopsAsync(bench, samples.Select(s => s.Id).ToArray());
        static double Ms(DateTime? from, DateTime? to) => from is { } a && to is { } b ? (b - a).TotalMilliseconds : double.NaN;
        var byId = samples.ToDictionary(s => s.Id);
        var browser = samples.Any(s => s.ExecutionMs > 0);
        var parts = new (string Name, Func<Hop, double> Time)[]
        {
            ("POST sent -> job row created (API)", h => Ms(byId[h.Id].Sent, h.Created)),
            ("created -> POST returned", h => Ms(h.Created, byId[h.Id].Returned)),
            ("POST returned -> worker picked up (dispatch, broker, receipt)", h => Ms(byId[h.Id].Returned, h.PickedUp)),
            (browser
                ? "picked up -> outcome recorded, minus Playwright's time (first commit, artifacts, outcome)"
                : "picked up -> outcome recorded (first commit, execution)", h => Ms(h.PickedUp, h.Executed) - byId[h.Id].ExecutionMs),
            ("outcome recorded -> state machine: completed (commit, dispatch, broker, saga)", h => Ms(h.Executed, h.Completed)),
            ("state machine: completed -> event at the client (commit, dispatch, broker)", h => Ms(h.Completed, byId[h.Id].Done)),
        };
        foreach (var (name, time) in parts)
        {
            var values = hops.Select(time).Where(v => !double.IsNaN(v)).ToList();
            table.Add(row, $"  hop: {name}", $"{P(values, 50)} / {P(values, 95)}", "-", "-", "report");
        }
    }

    private static string P(List<double> values, int percentile) => BenchContext.F(BenchContext.P(values, percentile), "0.0");

    private sealed record Hop(Guid Id, DateTime Created, DateTime? PickedUp, DateTime? Executed, DateTime? Completed);

    private static async Task<List<Hop>> HopsAsync(BenchContext bench, Guid[] ids)
    {
        await using var connection = new NpgsqlConnection(bench.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT j.id, j.created_at,
                   (SELECT min(l.created_at) FROM job_logs l WHERE l.job_id = j.id AND l.message LIKE 'Attempt 1 picked up%'),
                   (SELECT min(l.created_at) FROM job_logs l WHERE l.job_id = j.id AND l.message LIKE 'Attempt 1 executed%'),
                   (SELECT min(e.changed_at) FROM job_events e WHERE e.job_id = j.id AND e.status = 'completed')
            FROM automation_jobs j WHERE j.id = ANY($1)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        var hops = new List<Hop>(ids.Length);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            DateTime? At(int i) => reader.IsDBNull(i) ? null : DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Utc);
            hops.Add(new Hop(reader.GetGuid(0), At(1)!.Value, At(2), At(3), At(4)));
        }

        return hops;
    }
}
