using BrowserAutomation.Persistence.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace BrowserAutomation.Persistence.Messaging;

/// <summary>
/// "rabbitmq": opens (and closes) an AMQP connection with the process's broker settings. MassTransit's own bus check
/// keeps reporting healthy for a while after its connection is cut; a fresh handshake sees the broker gone at once.
/// </summary>
public sealed class BrokerHealthCheck(IOptions<RabbitMqOptions> options) : IHealthCheck
{
    public const string Name = "rabbitmq";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var rabbit = options.Value;
        var factory = new ConnectionFactory
        {
            HostName = rabbit.Host,
            Port = rabbit.Port,
            VirtualHost = rabbit.VirtualHost,
            UserName = rabbit.Username,
            Password = rabbit.Password,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "health-check",
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await connection.CloseAsync(cancellationToken);
            return HealthCheckResult.Healthy($"AMQP connection to {rabbit.Host}:{rabbit.Port} opened.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"No AMQP connection to {rabbit.Host}:{rabbit.Port}: {exception.GetType().Name}.");
        }
    }
}
