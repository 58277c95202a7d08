using System.Text.Json;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// extract: reads the target into the result's extracted values under Name, by read: attribute (textContent by default,
/// innerText, innerHTML, value, or any attribute name such as href; null when absent), state (a boolean), property (a
/// DOM property as JSON), count (a number, no waiting), list (an object per match, each field read relative to it) or
/// table (an object per row, keyed by the header cells). With multiple, attribute, state and property read every match
/// into an array. Except count, at least one match must exist; single reads need exactly one (or nth).
/// </summary>
internal sealed class ExtractActionHandler : IActionHandler
{
    public async Task<ActionResult> ExecuteAsync(ActionContext context, JobAction action, int index, CancellationToken cancellationToken)
    {
        // Steps arrive canonical from the API; spelling is normalised again for any other sender.
        action = action with
        {
            Attribute = action.Attribute is { } attribute ? ActionValues.Canonical(attribute, ActionValues.ExtractProperties) ?? attribute : null,
            State = ActionValues.Canonical(action.State, ActionValues.ExtractStates),
            Read = ActionValues.Canonical(action.Read, ActionValues.ExtractReads),
        };
        var read = ExtractRules.ReadOf(action);
        var multiple = action.Multiple == true;
        JsonElement value;
        if (read == "count")
        {
            var count = await context.ActAsync(action, _ => TargetLocator.Create(context.Page, action).CountAsync(), cancellationToken);
            value = JsonSerializer.SerializeToElement(count);
        }
        else
        {
            var locator = await context.LocateAsync(action, single: !multiple && read != "list", cancellationToken);
            value = read switch
            {
                "state" => JsonSerializer.SerializeToElement(await context.ActAsync(action, timeout => ReadStatesAsync(locator, action, multiple, timeout), cancellationToken)),
                "attribute" when !multiple => JsonSerializer.SerializeToElement(await context.ActAsync(action, timeout => ReadOneAsync(locator, action.Attribute, timeout), cancellationToken)),
                _ => await context.ActAsync(action, _ => ElementReader.ReadAsync(locator, action, read), cancellationToken),
            };

            if (!multiple && read == "property")
            {
                value = value[0];
            }
        }

        context.Extracted[action.Name!] = ElementReader.Bounded(action, value);
        return ActionResult.None;
    }

    private static async Task<object> ReadStatesAsync(ILocator elements, JobAction action, bool multiple, float timeout)
    {
        if (!multiple)
        {
            return await ReadStateAsync(elements, action.State!, timeout);
        }

        var count = Math.Min(await elements.CountAsync(), action.MaxItems ?? ExtractRules.MaxItems);
        var states = new List<bool>(count);
        for (var i = 0; i < count; i++)
        {
            states.Add(await ReadStateAsync(elements.Nth(i), action.State!, timeout));
        }

        return states;
    }

    private static Task<bool> ReadStateAsync(ILocator element, string state, float timeout) => state switch
    {
        "checked" => element.IsCheckedAsync(new LocatorIsCheckedOptions { Timeout = timeout }),
        "visible" => element.IsVisibleAsync(),
        "enabled" => element.IsEnabledAsync(new LocatorIsEnabledOptions { Timeout = timeout }),
        _ => element.IsEditableAsync(new LocatorIsEditableOptions { Timeout = timeout }),
    };

    private static Task<string?> ReadOneAsync(ILocator element, string? attribute, float timeout) => attribute switch
    {
        null or "textContent" => element.TextContentAsync(new LocatorTextContentOptions { Timeout = timeout }),
        "innerText" => AsNullable(element.InnerTextAsync(new LocatorInnerTextOptions { Timeout = timeout })),
        "innerHTML" => AsNullable(element.InnerHTMLAsync(new LocatorInnerHTMLOptions { Timeout = timeout })),
        "value" => AsNullable(element.InputValueAsync(new LocatorInputValueOptions { Timeout = timeout })),
        _ => element.GetAttributeAsync(attribute, new LocatorGetAttributeOptions { Timeout = timeout }),
    };

    private static async Task<string?> AsNullable(Task<string> read) => await read;
}
