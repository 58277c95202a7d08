namespace BrowserAutomation.Contracts.Actions;

/// <summary>Whether an action acts on an element found by <see cref="JobAction.Target"/>.</summary>
public enum TargetUse
{
    /// <summary>The action takes no target (goto, wait...).</summary>
    None,

    /// <summary>The action acts on the target when one is given (press, scroll, screenshot).</summary>
    Optional,

    /// <summary>The action always acts on an element (click, fill...).</summary>
    Required,
}
