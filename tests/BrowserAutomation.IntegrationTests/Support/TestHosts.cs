using System.Globalization;
using BrowserAutomation.Persistence;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BrowserAutomation.IntegrationTests.Support;

/// <summary>In-process hosts wired exactly like the API and worker (same persistence and bus registration).</summary>
internal static class TestHosts
{
    /// <summary>
    /// The fallback poll is set to a minute: anything a test sees within seconds was pushed by a commit
    /// notification, not found by polling.
    /// </summary>
    public const int PollIntervalMs = 60_000;

    public static IHost Create(TestDatabase database, TestVirtualHost vhost,
        Action<IBusRegistrationConfigurator> register,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> endpoints,
        int? rabbitPort = null,
        bool dispatcher = true,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = database.ConnectionString,
            ["RabbitMq:Host"] = TestSettings.RabbitHost,
            ["RabbitMq:Port"] = (rabbitPort ?? TestSettings.RabbitPort).ToString(CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = vhost.Name,
            ["RabbitMq:Username"] = TestSettings.RabbitUser,
            ["RabbitMq:Password"] = TestSettings.RabbitPassword,
            ["Outbox:PollIntervalMs"] = PollIntervalMs.ToString(CultureInfo.InvariantCulture),
            // Fail a send to an unreachable broker quickly, so outages in tests stay short: MassTransit's own
            // reconnect back-off grows with the outage (3 s up to 30 s).
            ["Outbox:SendTimeoutMs"] = "2000",
            ["Outbox:DispatcherEnabled"] = dispatcher.ToString(),
        });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);

        builder.Services.AddAutomationPersistence();
        builder.Services.AddAutomationBus(register, endpoints);
        // Tests publish right after start: wait until the endpoints and their bindings exist.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(30);
        });
        services?.Invoke(builder.Services);
        return builder.Build();
    }
}
