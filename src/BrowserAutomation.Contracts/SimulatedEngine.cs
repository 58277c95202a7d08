namespace BrowserAutomation.Contracts;

/// <summary>
/// The benchmarking engine: a worker started with WORKER_ENGINES=simulated completes each job after
/// SIMULATED_ENGINE_DELAY_MS without any browser, so the control plane (API, outbox, broker, worker, saga) can be
/// measured alone. Never a default; the API refuses it unless SIMULATED_ENGINE_ENABLED=true.
/// </summary>
public static class SimulatedEngine
{
    /// <summary>The engine's name in browser types, jobs, WORKER_ENGINES and its queue (jobs-simulated).</summary>
    public const string Name = "simulated";

    /// <summary>The browser type the API keeps for it while enabled.</summary>
    public const string BrowserTypeName = "Simulated";

    /// <summary>Whether <paramref name="engine"/> names the simulated engine.</summary>
    /// <param name="engine">An engine name, any case.</param>
    public static bool Is(string? engine) => string.Equals(engine, Name, StringComparison.OrdinalIgnoreCase);
}
