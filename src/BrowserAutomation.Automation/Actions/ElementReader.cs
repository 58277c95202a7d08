using System.Globalization;
using System.Text.Json;
using BrowserAutomation.Automation.Execution;
using BrowserAutomation.Contracts;
using BrowserAutomation.Contracts.Actions;
using Microsoft.Playwright;

namespace BrowserAutomation.Automation.Actions;

/// <summary>
/// Reads matched elements in the page in one round trip: values (text, attributes, DOM properties turned into JSON),
/// records of values relative to each match, a table's rows. The page serialises the result itself and refuses one
/// over <see cref="ExtractRules.MaxValueBytes"/>, so a huge page never crosses the wire.
/// </summary>
internal static class ElementReader
{
    private const string NotATable = "browser-automation:not-a-table";

    private const string Script = """
        (elements, args) => {
          const safe = (v, depth) => {
            if (v === undefined || v === null || typeof v === 'function' || typeof v === 'symbol') return null;
            if (typeof v === 'number') return Number.isFinite(v) ? v : null;
            if (typeof v === 'bigint') return v.toString();
            if (typeof v !== 'object') return v;
            if (depth > 3 || v instanceof Node || v === window) return null;
            if (v instanceof Date) return v.toISOString();
            if (Array.isArray(v) || (typeof v.length === 'number' && typeof v[Symbol.iterator] === 'function')) return Array.from(v, x => safe(x, depth + 1));
            const out = {};
            for (const k of Object.keys(v)) out[k] = safe(v[k], depth + 1);
            return out;
          };
          const property = (e, path) => safe(path.split('.').reduce((o, k) => o === null || o === undefined ? undefined : o[k], e), 0);
          const attribute = (e, name) => name === 'textContent' ? e.textContent
            : name === 'innerText' ? (e.innerText ?? e.textContent)
            : name === 'innerHTML' ? e.innerHTML
            : name === 'value' ? (e.value ?? null)
            : e.getAttribute(name);
          const read = (e, attr, prop) => prop ? property(e, prop) : attribute(e, attr || 'textContent');
          const find = (item, selector) => {
            if (!selector) return item;
            if (/^(xpath=|\.\.?\/|\()/.test(selector)) {
              const path = selector.startsWith('xpath=') ? selector.slice(6) : selector;
              return item.ownerDocument.evaluate(path, item, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
            }
            return item.querySelector(selector);
          };
          const text = c => (c.innerText ?? c.textContent ?? '').trim();
          const table = t => {
            if (!t || !t.rows) throw new Error('browser-automation:not-a-table');
            const rows = Array.from(t.rows);
            const header = t.tHead && t.tHead.rows.length ? t.tHead.rows[t.tHead.rows.length - 1]
              : rows.length && Array.from(rows[0].cells).every(c => c.tagName === 'TH') ? rows[0] : null;
            const keys = [];
            for (const [i, c] of Array.from(header ? header.cells : []).entries()) {
              const base = text(c) || 'column' + (i + 1);
              let key = base;
              for (let n = 2; keys.includes(key); n++) key = base + '_' + n;
              keys.push(key);
            }
            return rows.filter(r => r !== header && !(t.tHead && r.parentElement === t.tHead)).slice(0, args.max).map(r => {
              const row = {};
              Array.from(r.cells).forEach((c, i) => { row[keys[i] ?? 'column' + (i + 1)] = text(c); });
              return row;
            });
          };
          const value = args.read === 'table' ? table(elements[0])
            : args.read === 'list' ? elements.slice(0, args.max).map(item => Object.fromEntries(args.fields.map(([key, selector, attr, prop]) => {
                const e = find(item, selector);
                return [key, e ? read(e, attr, prop) : null];
              })))
            : elements.slice(0, args.max).map(e => read(e, args.attribute, args.property));
          const json = JSON.stringify(value);
          return json.length > args.limit ? '\u0000' + json.length : json;
        }
        """;

    /// <summary>attribute, property, list or table over every match (at most maxItems); a JSON array (table: of its rows).</summary>
    public static async Task<JsonElement> ReadAsync(ILocator elements, JobAction action, string read)
    {
        var args = new
        {
            read,
            attribute = action.Attribute ?? "textContent",
            property = action.Property,
            fields = (action.Fields ?? new Dictionary<string, ExtractField>())
                .Select(f => new[] { f.Key, f.Value.Selector, f.Value.Attribute, f.Value.Property })
                .ToArray(),
            max = action.MaxItems ?? ExtractRules.MaxItems,
            limit = ExtractRules.MaxValueBytes,
        };

        string json;
        try
        {
            json = await elements.EvaluateAllAsync<string>(Script, args);
        }
        catch (PlaywrightException ex) when (ex.Message.Contains(NotATable, StringComparison.Ordinal))
        {
            throw JobStepException.Validation($"read table needs a <table>: {TargetLocator.Describe(action)} is not one.");
        }
        catch (PlaywrightException ex) when (ex.Message.Contains("is not a valid", StringComparison.Ordinal))
        {
            throw JobStepException.Validation($"A selector of fields is not valid: {JobErrors.Shorten(ex.Message)}");
        }

        if (json.StartsWith('\0'))
        {
            throw TooLarge(action, long.Parse(json.AsSpan(1), CultureInfo.InvariantCulture));
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>A value read some other way, once it is known to fit.</summary>
    public static JsonElement Bounded(JobAction action, JsonElement value)
    {
        var size = value.GetRawText().Length;
        return size > ExtractRules.MaxValueBytes ? throw TooLarge(action, size) : value;
    }

    private static JobStepException TooLarge(JobAction action, long size) =>
        JobStepException.Validation(string.Create(CultureInfo.InvariantCulture,
            $"extract '{JobErrors.Shorten(action.Name ?? "")}' would return {size} characters of JSON; the limit per step is {ExtractRules.MaxValueBytes}: narrow the target or lower maxItems."));
}
