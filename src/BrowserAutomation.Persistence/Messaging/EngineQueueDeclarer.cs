using BrowserAutomation.Contracts;
using BrowserAutomation.Hosting;
using BrowserAutomation.Persistence.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using RabbitMQ.Client;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// Declares every engine's queue at API start, exactly as a worker's endpoint would (job-requested → exchange
/// jobs-{engine} → priority queue jobs-{engine}), so jobs wait in a durable queue an operator can see even before
/// the first worker for that engine runs. Retries in the background while RabbitMQ is away. The simulated engine's queue
/// is declared too when this API accepts its jobs (SIMULATED_ENGINE_ENABLED): otherwise the broker would return every
/// such job until a simulated worker first declared it, and the outbox would retry them all meanwhile.
/// </summary>
internal sealed class EngineQueueDeclarer(IOptions<RabbitMqOptions> options, IOptions<SimulatedEngineOptions> simulated, ILogger<EngineQueueDeclarer> logger)
    : BackgroundService
{
    public static readonly string[] Engines = ["chromium", "firefox", "webkit"];

    private string[] Declared => simulated.Value.Enabled ? [.. Engines, SimulatedEngine.Name] : Engines;

    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(15),
            UseJitter = true,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
        })
        .Build();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Retry.ExecuteAsync(async token =>
        {
            try
            {
                await DeclareAsync(token);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning("Declaring the engine queues failed ({Error}); retrying", exception.Message);
                throw;
            }
        }, stoppingToken).AsTask();

    private async Task DeclareAsync(CancellationToken cancellationToken)
    {
        var rabbit = options.Value;
        var factory = new ConnectionFactory
        {
            HostName = rabbit.Host,
            Port = rabbit.Port,
            VirtualHost = rabbit.VirtualHost,
            UserName = rabbit.Username,
            Password = rabbit.Password,
            ClientProvidedName = "engine-queue-declarer",
        };

        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);

        await channel.ExchangeDeclareAsync(BusTopology.JobRequestedExchange, ExchangeType.Direct, durable: true, autoDelete: false,
            cancellationToken: cancellationToken);
        foreach (var engine in Declared)
        {
            var name = BusTopology.EngineQueue(engine);
            await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-max-priority"] = BusTopology.MaxPriority }, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(name, name, "", cancellationToken: cancellationToken);
            await channel.ExchangeBindAsync(name, BusTopology.JobRequestedExchange, engine, cancellationToken: cancellationToken);
        }

        logger.LogInformation("Engine queues declared: {Queues}", string.Join(", ", Declared.Select(BusTopology.EngineQueue)));
    }
}
