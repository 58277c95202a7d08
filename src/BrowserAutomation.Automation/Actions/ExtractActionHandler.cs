using System.Text.Json;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// extract: reads Attribute (textContent by default, innerText, innerHTML, value, or any attribute name such as href)
/// of the target into the result's extracted values under Name. Multiple: every match, as an array (at least one
/// must exist); otherwise exactly one element, its value or null when the attribute is absent.
/// </summary>
internal sealed class ExtractActionHandler : IActionHandler
{
    private const string ReadAll = """
        (elements, attribute) => elements.map(e =>
          attribute === 'innerHTML' ? e.innerHTML
          : attribute === 'value' ? (e.value ?? null)
          : e.getAttribute(attribute))
        """;


    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        var attribute = Canonical(action.Attribute);
        var multiple = action.Multiple == true;
        var locator = await context.LocateAsync(action, single: !multiple, cancellationToken);
        var value = multiple
            ? JsonSerializer.SerializeToElement(await context.ActAsync(action, _ => ReadAllAsync(locator, attribute), cancellationToken))
            : JsonSerializer.SerializeToElement(await context.ActAsync(action, timeout => ReadOneAsync(locator, attribute, timeout), cancellationToken));
        context.Extracted[action.Name!] = value;
        return ActionResult.None;
    }

    private static string Canonical(string? attribute) => attribute?.Trim() switch
    {
        null or "" => "textContent",
        var a when a.Equals("textContent", StringComparison.OrdinalIgnoreCase) => "textContent",
        var a when a.Equals("innerText", StringComparison.OrdinalIgnoreCase) => "innerText",
        var a when a.Equals("innerHTML", StringComparison.OrdinalIgnoreCase) => "innerHTML",
        var a when a.Equals("value", StringComparison.OrdinalIgnoreCase) => "value",
        var a => a,
    };

    private static Task<string?> ReadOneAsync(ILocator element, string attribute, float timeout) => attribute switch
    {
        "textContent" => element.TextContentAsync(new LocatorTextContentOptions { Timeout = timeout }),
        "innerText" => AsNullable(element.InnerTextAsync(new LocatorInnerTextOptions { Timeout = timeout })),
        "innerHTML" => AsNullable(element.InnerHTMLAsync(new LocatorInnerHTMLOptions { Timeout = timeout })),
        "value" => AsNullable(element.InputValueAsync(new LocatorInputValueOptions { Timeout = timeout })),
        _ => element.GetAttributeAsync(attribute, new LocatorGetAttributeOptions { Timeout = timeout }),
    };

    private static async Task<IReadOnlyList<string?>> ReadAllAsync(ILocator elements, string attribute) => attribute switch
    {
        "textContent" => [.. await elements.AllTextContentsAsync()],
        "innerText" => [.. await elements.AllInnerTextsAsync()],
        _ => await elements.EvaluateAllAsync<string?[]>(ReadAll, attribute),
    };

    private static async Task<string?> AsNullable(Task<string> read) => await read;
}
