using BrowserAutomation.Hosting.Observability;
using BrowserAutomation.Persistence.Configuration;
using BrowserAutomation.Persistence.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.Persistence;

public static class DatabaseHealthChecks
{
    public const string Name = "postgresql";

    /// <summary>
    /// "postgresql": a SELECT 1 on the process's own connection settings (the DB_* variables), for /health/ready and the
    /// API's /health. The check reports the failure, never the connection string.
    /// </summary>
    public static IHealthChecksBuilder AddDatabaseCheck(this IHealthChecksBuilder builder) =>
        builder.AddNpgSql(
            static provider => provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.BuildConnectionString(),
            name: Name,
            tags: ["ready"],
            timeout: HealthHostExtensions.CheckTimeout);

    /// <summary>"rabbitmq": a fresh AMQP handshake with the process's broker settings (see <see cref="BrokerHealthCheck"/>).</summary>
    public static IHealthChecksBuilder AddBrokerCheck(this IHealthChecksBuilder builder) =>
        builder.AddCheck<BrokerHealthCheck>(BrokerHealthCheck.Name, tags: ["ready"], timeout: HealthHostExtensions.CheckTimeout);
}
