using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// Every <see cref="IActionHandler"/> of this assembly, by name, found at first use: adding an action is its catalogue
/// entry plus its handler class, and a unit test keeps the two sets equal.
/// </summary>
internal static class ActionHandlers
{
    private static readonly FrozenDictionary<string, IActionHandler> ByName = typeof(IActionHandler).Assembly.GetTypes()
        .Where(static t => t is { IsClass: true, IsAbstract: false } && typeof(IActionHandler).IsAssignableFrom(t))
        .Select(static t => (IActionHandler)Activator.CreateInstance(t)!)
        .ToFrozenDictionary(static handler => handler.Name, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Names => ByName.Values.Select(static h => h.Name);

    public static bool TryGet(string? name, [NotNullWhen(true)] out IActionHandler? handler)
    {
        handler = null;
        return name is not null && ByName.TryGetValue(name, out handler);
    }
}
