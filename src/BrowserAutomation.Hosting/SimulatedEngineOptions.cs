using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Hosting;

/// <summary>The benchmarking engine (SIMULATED_ENGINE_*; see BrowserAutomation.Contracts.SimulatedEngine).</summary>
public sealed class SimulatedEngineOptions
{
    public const string SectionName = "SimulatedEngine";

    /// <summary>
    /// API: accepts browser types and jobs of the simulated engine and keeps an active "Simulated" browser type
    /// (SIMULATED_ENGINE_ENABLED). Off by default: a production deployment never runs jobs without a browser.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>Worker: how long a simulated attempt takes (SIMULATED_ENGINE_DELAY_MS).</summary>
    [Range(0, 600_000)]
    public int DelayMs { get; set; }
}
