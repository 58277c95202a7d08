using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// Every <see cref="IActionHandler"/> of this assembly, by the action it runs, found at first use: adding an action is
/// its catalogue entry plus its handler class (named after the action), and a unit test keeps the two sets equal.
/// </summary>
internal static class ActionHandlers
{
    private static readonly FrozenDictionary<string, IActionHandler> ByName = typeof(IActionHandler).Assembly.GetTypes()
        .Where(static t => t is { IsClass: true, IsAbstract: false } && typeof(IActionHandler).IsAssignableFrom(t))
        .ToFrozenDictionary(ActionName, static t => (IActionHandler)Activator.CreateInstance(t)!, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>The action a handler class runs, from its name: WaitForSelectorActionHandler runs waitForSelector.</summary>
    public static string ActionName(Type handler)
    {
        const string Suffix = "ActionHandler";
        var name = handler.Name.EndsWith(Suffix, StringComparison.Ordinal) ? handler.Name[..^Suffix.Length] : handler.Name;
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static bool TryGet(string? name, [NotNullWhen(true)] out IActionHandler? handler)
    {
        handler = null;
        return name is not null && ByName.TryGetValue(name, out handler);
    }
}
