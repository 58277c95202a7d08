namespace BrowserAutomation.Contracts.Actions;

/// <summary>One action of the model: what the API accepts, the worker runs and the OpenAPI document lists.</summary>
/// <param name="Name">The action as spelled in JSON (the <see cref="JobAction.Action"/> value and the handler's name).</param>
/// <param name="Description">What the action does, for the OpenAPI document.</param>
/// <param name="Target">Whether it acts on an element.</param>
public sealed record ActionDefinition(string Name, string Description, TargetUse Target)
{
    /// <summary>The fields the action uses besides the target fields and timeoutMs.</summary>
    public IReadOnlyList<ActionField> Fields { get; init; } = [];

    /// <summary>What each engine cannot do with the action.</summary>
    public IReadOnlyList<EngineLimit> EngineLimits { get; init; } = [];

    /// <summary>Whether its value/values are what a user types into a form: encrypted at rest, never logged or listed.</summary>
    public bool SecretValues { get; init; }

    /// <summary>Whether the single-action form-fill payload may use it as a step type.</summary>
    public bool FormFill { get; init; }

    /// <summary>The message when a target is given to an action that takes none (defaults to "{name} takes no target.").</summary>
    public string? NoTargetMessage { get; init; }

    /// <summary>Rules between fields; null when the fields' own checks suffice.</summary>
    public ActionRule? Rule { get; init; }
}
