using System.ComponentModel.DataAnnotations;

namespace BrowserAutomation.Api.Workers;

/// <summary>
/// The engines this deployment serves (section "Admission", SERVED_ENGINES): a job for one of them is accepted and
/// waits in its queue until a worker takes it, whether or not a worker is running right now (workers restart, scale
/// from zero); a job for any other engine is refused with 422. Heartbeats only inform, they never gate admission.
/// </summary>
public sealed class ServedEnginesOptions : IValidatableObject
{
    public const string SectionName = "Admission";

    /// <summary>The engines that may be served by a deployment; a name outside this list is a configuration mistake.</summary>
    public static readonly IReadOnlyList<string> KnownEngines = ["chromium", "firefox", "webkit"];

    /// <summary>Comma separated engines (SERVED_ENGINES); by default the ones the quick start runs workers for.</summary>
    private IReadOnlySet<string>? served;

    [Required]
    public string ServedEngines { get; set; } = "chromium,firefox";

    /// <summary>The served engines, lower case.</summary>
    public IReadOnlySet<string> EngineSet =>
        ServedEngines.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(static e => e.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Whether jobs for <paramref name="engine"/> are admitted. The simulated engine is gated by its browser type
    /// instead (active only while SIMULATED_ENGINE_ENABLED=true), so it needs no entry here.
    /// </summary>
    public bool Serves(string engine) =>
        Contracts.SimulatedEngine.Is(engine)
        || (served ??= EngineSet).Contains(engine.ToLowerInvariant());

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EngineSet.Count == 0)
        {
            yield return new ValidationResult("SERVED_ENGINES names no engine; list at least one of chromium, firefox, webkit.", [nameof(ServedEngines)]);
        }

        foreach (var unknown in EngineSet.Where(static e => !KnownEngines.Contains(e)))
        {
            yield return new ValidationResult(
                $"SERVED_ENGINES: unknown engine '{unknown}' (known: {string.Join(", ", KnownEngines)}).", [nameof(ServedEngines)]);
        }
    }
}
