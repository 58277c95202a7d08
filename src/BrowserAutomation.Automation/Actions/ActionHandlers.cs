using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace BrowserAutomation.Automation.Actions;

/// <summary>The registered action types, by name. Adding an action: one handler file and one line here.</summary>
internal static class ActionHandlers
{
    private static readonly FrozenDictionary<string, IActionHandler> ByName = new IActionHandler[]
    {
        new GotoActionHandler(),
        new ClickActionHandler(),
        new FillActionHandler(),
        new TypeActionHandler(),
        new PressActionHandler(),
        new SelectActionHandler(),
        new CheckActionHandler(),
        new UncheckActionHandler(),
        new HoverActionHandler(),
        new ScrollActionHandler(),
        new WaitActionHandler(),
        new WaitForSelectorActionHandler(),
        new WaitForLoadStateActionHandler(),
        new ScreenshotActionHandler(),
        new PdfActionHandler(),
        new ExtractActionHandler(),
        new EvaluateActionHandler(),
    }.ToFrozenDictionary(handler => handler.Name, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Names => ByName.Values.Select(static h => h.Name);

    public static bool TryGet(string? name, [NotNullWhen(true)] out IActionHandler? handler)
    {
        handler = null;
        return name is not null && ByName.TryGetValue(name, out handler);
    }
}
