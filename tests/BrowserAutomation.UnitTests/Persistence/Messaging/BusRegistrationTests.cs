using BrowserAutomation.Persistence;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Persistence.Messaging;

/// <summary>What the bus registration configures, read from the container without starting a bus.</summary>
public sealed class BusRegistrationTests
{
    [Fact]
    public void MassTransit_usage_telemetry_is_off_so_the_bus_never_calls_out()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging();
        services.AddAutomationBus(_ => { }, (_, _) => { });
        using var provider = services.BuildServiceProvider();

        Assert.False(provider.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
