using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BrowserAutomation.Contracts;

/// <summary>
/// Strict input: finds every JSON member that the target type does not have, at any depth, and names it by its JSON
/// path (actions[2].atribute, payload.fullpage, options.viewport.widht) with the nearest known member. The known
/// members are the serializer's own view of the type, so a field added to a request type is known at once.
/// Names are matched exactly (camelCase): a member that differs only in case is reported too.
/// </summary>
public static class UnknownFields
{
    /// <summary>Every unknown member of <paramref name="json"/> read as <paramref name="type"/>, keyed by JSON path.</summary>
    /// <param name="json">The submitted JSON.</param>
    /// <param name="type">The type it is read into.</param>
    /// <param name="options">The serializer options it is read with (names, converters).</param>
    public static Dictionary<string, string[]> Find(JsonElement json, Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Walk(json, type, TypeInfoOf(options, type), "", problems);
        return problems;
    }

    private static JsonTypeInfo TypeInfoOf(JsonSerializerOptions options, Type type)
    {
        if (options.TypeInfoResolver is null)
        {
            // Options still being configured have no resolver yet; a read-only copy with the default one sees the same names.
            options = new JsonSerializerOptions(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        }

        options.MakeReadOnly();
        return options.GetTypeInfo(type);
    }

    private static void Walk(JsonElement json, Type type, JsonTypeInfo info, string path, Dictionary<string, string[]> problems)
    {
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object when json.ValueKind == JsonValueKind.Object:
                WalkObject(json, info, path, problems);
                break;
            case JsonTypeInfoKind.Enumerable when json.ValueKind == JsonValueKind.Array && info.ElementType is { } element:
                var index = 0;
                foreach (var item in json.EnumerateArray())
                {
                    Walk(item, element, info.Options.GetTypeInfo(element), $"{path}[{index++}]", problems);
                }

                break;
            case JsonTypeInfoKind.Dictionary when json.ValueKind == JsonValueKind.Object && info.ElementType is { } value:
                // Keys are the caller's (header names ...); only the values have a shape.
                foreach (var member in json.EnumerateObject())
                {
                    Walk(member.Value, value, info.Options.GetTypeInfo(value), Join(path, member.Name), problems);
                }

                break;
            default:
                // Primitives, JsonElement/object (free-form) and values of the wrong JSON kind (the binder names those).
                break;
        }
    }

    private static void WalkObject(JsonElement json, JsonTypeInfo info, string path, Dictionary<string, string[]> problems)
    {
        if (info.Properties.Any(p => p.IsExtensionData))
        {
            return;
        }

        var known = info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var member in json.EnumerateObject())
        {
            var at = Join(path, member.Name);
            if (known.TryGetValue(member.Name, out var property))
            {
                Walk(member.Value, property.PropertyType, info.Options.GetTypeInfo(property.PropertyType), at, problems);
                continue;
            }

            problems[at] = [$"Unknown field '{Actions.ActionValues.Shorten(member.Name)}'{NameSuggestions.DidYouMean(member.Name, known.Keys, 3)}. "
                            + $"Known fields here: {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))}."];
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
