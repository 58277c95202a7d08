using BrowserAutomation.Hosting;

namespace BrowserAutomation.Api.Browsers;

public static class SimulatedEngineApiExtensions
{
    /// <summary>SIMULATED_ENGINE_ENABLED: whether the simulated engine's browser type may be active (see <see cref="SimulatedBrowserType"/>).</summary>
    public static IHostApplicationBuilder AddSimulatedEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SimulatedEngineOptions>().BindSettings(SimulatedEngineOptions.SectionName);
        builder.Services.AddHostedService<SimulatedBrowserType>();
        return builder;
    }
}
