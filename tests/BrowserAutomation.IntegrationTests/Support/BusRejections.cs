using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>
/// Publishes a SubmitJob command as a client in any language would (a MassTransit JSON envelope on the submit-job
/// exchange) and waits for the JobSubmissionRejected that names its client reference.
/// </summary>
public static class BusRejections
{
    public static readonly string[] SubmitJobType = ["urn:message:BrowserAutomation.Contracts:SubmitJob"];

    /// <summary>The rejection's message; <paramref name="command"/> must carry <paramref name="clientReference"/>.</summary>
    public static async Task<JsonElement> SubmitAndAwaitAsync(StackFixture stack, object command, string clientReference, TimeSpan timeout)
    {
        var factory = new ConnectionFactory
        {
            HostName = "127.0.0.1", Port = TestSettings.RabbitPort, VirtualHost = stack.VirtualHost.Name,
            UserName = TestSettings.RabbitUser, Password = TestSettings.RabbitPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.ExchangeDeclareAsync("job-submission-rejected", ExchangeType.Fanout, durable: true);
        await channel.QueueBindAsync(queue, "job-submission-rejected", "");
        var envelope = JsonSerializer.Serialize(new { messageId = Guid.NewGuid(), messageType = SubmitJobType, message = command });
        await channel.BasicPublishAsync("submit-job", "", mandatory: true,
            new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true }, Encoding.UTF8.GetBytes(envelope));

        JsonElement rejected = default;
        try
        {
            await Wait.UntilAsync(async () =>
                {
                    while (await channel.BasicGetAsync(queue, autoAck: true) is { } delivery)
                    {
                        var message = JsonDocument.Parse(delivery.Body.ToArray()).RootElement.GetProperty("message");
                        if (message.GetProperty("clientReference").GetString() == clientReference)
                        {
                            rejected = message.Clone();
                            return true;
                        }
                    }

                    return false;
                },
                timeout, "the JobSubmissionRejected for " + clientReference);
        }
        catch (TimeoutException e)
        {
            // What the API logged says whether the command was accepted, rejected or never consumed.
            throw new TimeoutException(e.Message + "\nThe API's last lines:\n" + stack.Api.Tail, e);
        }

        return rejected;
    }
}
