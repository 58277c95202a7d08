using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace BrowserAutomation.IntegrationTests.EndToEnd;

/// <summary>Clients that use only the bus: a Node.js process (amqplib) and a raw AMQP publisher, no MassTransit.</summary>
[Collection(StackDefinition.Name)]
public sealed class BusClientTests(StackFixture stack)
{
    private static readonly string[] SubmitJobType = ["urn:message:BrowserAutomation.Contracts:SubmitJob"];

    private string AmqpUrl => $"amqp://{TestSettings.RabbitUser}:{TestSettings.RabbitPassword}@127.0.0.1:{TestSettings.RabbitPort}/{Uri.EscapeDataString(stack.VirtualHost.Name)}";

    [Fact]
    public async Task A_node_process_submits_a_job_over_the_bus_and_learns_its_outcome()
    {
        var script = Path.Combine(AppProcess.RepositoryRoot, "tests", "node-client", "submit-job.mjs");
        Assert.True(Directory.Exists(Path.Combine(AppProcess.RepositoryRoot, "tests", "node-client", "node_modules", "amqplib")),
            "amqplib is missing: infra/test.sh runs `npm ci` in tests/node-client");

        var info = new ProcessStartInfo("node", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["AMQP_URL"] = AmqpUrl;
        info.Environment["PAGE_URL"] = stack.Site.Url("/page");
        info.Environment["TIMEOUT_MS"] = "60000";
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            await node.WaitForExitAsync(limit.Token);
        }

        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await stderr}{await stdout}");
        var result = JsonDocument.Parse((await stdout).Trim()).RootElement;
        Assert.Equal("JobCompleted", result.GetProperty("type").GetString());
        var jobId = result.GetProperty("jobId").GetGuid();
        Assert.Equal(jobId, result.GetProperty("submittedJobId").GetGuid());
        Assert.StartsWith("node-", result.GetProperty("clientReference").GetString(), StringComparison.Ordinal);
        Assert.Contains("screenshot", result.GetProperty("message").GetProperty("result").GetProperty("artifacts")[0].GetProperty("artifactType").GetString(),
            StringComparison.Ordinal);

        var job = await stack.GetJobAsync(jobId);
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(result.GetProperty("clientReference").GetString(), job.GetProperty("clientReference").GetString());
    }

    [Fact]
    public async Task The_same_command_delivered_twice_creates_one_job()
    {
        var reference = $"raw-{Guid.NewGuid():N}";
        var envelope = JsonSerializer.Serialize(new
        {
            messageId = Guid.NewGuid(),
            messageType = SubmitJobType,
            message = new { browserTypeId = 1, actionType = "visit", payload = new { url = stack.Site.Url("/page") }, clientReference = reference },
            sentTime = DateTime.UtcNow,
            headers = new { },
        });

        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1", Port = TestSettings.RabbitPort, VirtualHost = stack.VirtualHost.Name,
            UserName = TestSettings.RabbitUser, Password = TestSettings.RabbitPassword,
        };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true };
            for (var i = 0; i < 2; i++)
            {
                await channel.BasicPublishAsync("submit-job", "", mandatory: true, properties, Encoding.UTF8.GetBytes(envelope));
            }
        }

        await Wait.UntilAsync(async () => await stack.Database.ScalarAsync<long>(
                "SELECT coalesce(sum(receive_count), 0) FROM inbox_states i JOIN automation_jobs j ON true WHERE j.client_reference = @p0 AND i.received >= j.created_at - interval '5 seconds'", reference) >= 2,
            TimeSpan.FromSeconds(30), "both deliveries to be received");
        Assert.Equal(1, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE client_reference = @p0", reference));

        var list = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/jobs?limit=100", UriKind.Relative));
        Assert.Single(list.GetProperty("data").EnumerateArray(), j => j.GetProperty("clientReference").GetString() == reference);
    }

    [Fact]
    public async Task An_invalid_command_is_rejected_on_the_bus_and_creates_nothing()
    {
        var reference = $"bad-{Guid.NewGuid():N}";
        var rejected = await BusRejections.SubmitAndAwaitAsync(stack,
            new { browserTypeId = 1, actionType = "screenshot", payload = new { url = "file:///etc/passwd" }, clientReference = reference },
            reference, TimeSpan.FromSeconds(30));

        Assert.True(rejected.GetProperty("errors").TryGetProperty("payload.url", out _));
        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM automation_jobs WHERE client_reference = @p0", reference));
    }
}
